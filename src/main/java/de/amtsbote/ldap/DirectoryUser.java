package de.amtsbote.ldap;

/**
 * One staff entry as read from the directory.
 *
 * @param dn        the entry's distinguished name (normalised: compares equal however the server spells it)
 * @param localpart the user name, lower case, from the configured attribute; null if it cannot be a Matrix
 *                  user name (e.g. contains umlauts or spaces)
 * @param rawName   the attribute's value as stored, for messages
 * @param disabled  Active Directory's userAccountControl has ACCOUNTDISABLE (bit value 2) set
 */
public record DirectoryUser(String dn, String localpart, String rawName, String displayname, String mail,
                            boolean disabled) {}
