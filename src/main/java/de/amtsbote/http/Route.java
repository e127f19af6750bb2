package de.amtsbote.http;

/** An endpoint's code. Returns a JsonNode (sent as 200) or a {@link Resp}; throws MatrixException on error. */
@FunctionalInterface
public interface Route {
    Object handle(Req req) throws Exception;
}
