package de.amtsbote.rooms;

/** Looks up a local user's profile for membership events; implemented over the account store. */
@FunctionalInterface
public interface Profiles {
    record Profile(String displayname, String avatarUrl) {}

    /** The profile, or null if there is no such (active) local user. */
    Profile of(String userId);
}
