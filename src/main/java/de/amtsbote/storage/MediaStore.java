package de.amtsbote.storage;

import java.util.Optional;

/** Metadata of uploaded media; the bytes live in files (see de.amtsbote.media). */
public interface MediaStore {
    record Media(String mediaId, String userId, String contentType, String fileName, long size, String sha256,
                 long createdTs) {}

    void add(Media m);

    Optional<Media> get(String mediaId);
}
