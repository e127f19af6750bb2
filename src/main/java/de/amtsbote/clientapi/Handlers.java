package de.amtsbote.clientapi;

import de.amtsbote.http.Router;

/** A group of endpoints; each registers its routes on the router at start. */
public interface Handlers {
    void register(Router router);
}
