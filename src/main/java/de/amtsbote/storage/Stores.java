package de.amtsbote.storage;

import de.amtsbote.storage.jdbc.JdbcAccountDataStore;
import de.amtsbote.storage.jdbc.JdbcAccountStore;
import de.amtsbote.storage.jdbc.JdbcDirectoryStore;
import de.amtsbote.storage.jdbc.JdbcEventStore;
import de.amtsbote.storage.jdbc.JdbcKeyStore;
import de.amtsbote.storage.jdbc.JdbcMediaStore;
import de.amtsbote.storage.jdbc.JdbcReceiptStore;
import de.amtsbote.storage.jdbc.JdbcToDeviceStore;

/** All stores of one database, built once at start and handed to the components. */
public record Stores(Database db, AccountStore accounts, EventStore events, AccountDataStore accountData,
                     ReceiptStore receipts, ToDeviceStore toDevice, DirectoryStore directory, MediaStore media,
                     KeyStore keys) {
    public static Stores of(Database db) {
        return new Stores(db, new JdbcAccountStore(db), new JdbcEventStore(db), new JdbcAccountDataStore(db),
                new JdbcReceiptStore(db), new JdbcToDeviceStore(db), new JdbcDirectoryStore(db), new JdbcMediaStore(db),
                new JdbcKeyStore(db));
    }
}
