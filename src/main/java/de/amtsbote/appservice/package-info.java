/**
 * Application services (bridges, bots with user namespaces): registration files, as_token identity assertion,
 * exclusive namespaces, the durable transaction queue, user/alias queries and ping. See docs/appservices.md.
 */
package de.amtsbote.appservice;
