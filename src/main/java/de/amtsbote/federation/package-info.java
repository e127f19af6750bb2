/**
 * Seam for a later issue: server-server API (federation with other towns' servers). Events are already full signed PDUs, so nothing needs migrating when it arrives. Until then its endpoints answer M_UNRECOGNIZED (the router's answer for unknown paths).
 */
package de.amtsbote.federation;
