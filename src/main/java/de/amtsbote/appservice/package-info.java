/**
 * Seam for a later issue: application services (bridges, bots with namespaces). Until then its endpoints answer M_UNRECOGNIZED (the router's answer for unknown paths).
 */
package de.amtsbote.appservice;
