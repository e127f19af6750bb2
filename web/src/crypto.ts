/**
 * End-to-end encryption with matrix-js-sdk's Rust crypto: start-up, the recovery key (secure backup), and the
 * cross-signing bootstrap. The UI only calls these functions.
 */
import type { MatrixClient } from "matrix-js-sdk";
import { decodeRecoveryKey, type CryptoCallbacks, type GeneratedSecretStorageKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { AuthDict, UIAuthCallback } from "matrix-js-sdk/lib/interactive-auth.js";

/**
 * Whether new private groups and direct chats are created encrypted. One switch for the whole client until the
 * server announces its own policy.
 */
export const ENCRYPT_NEW_PRIVATE_ROOMS = true;

export const MEGOLM = "m.megolm.v1.aes-sha2";

/** Initial state that turns on encryption for a new room. */
export function encryptionState(): { type: string; state_key: string; content: Record<string, unknown> } {
  return { type: "m.room.encryption", state_key: "", content: { algorithm: MEGOLM } };
}

// The secret-storage key the user typed (or that was just generated), kept in memory only for this page.
let pendingKey: Uint8Array | null = null;

/** Callbacks for createClient: hand the SDK the recovery key when it needs to read or write secret storage. */
export const cryptoCallbacks: CryptoCallbacks = {
  getSecretStorageKey: async ({ keys }) => {
    if (!pendingKey) return null;
    const keyId = Object.keys(keys)[0];
    if (!keyId) return null;
    return [keyId, pendingKey];
  },
  cacheSecretStorageKey: (_keyId, _info, key) => {
    pendingKey = key;
  },
};

/** Starts the Rust crypto (IndexedDB store in the browser). Needs the session's device ID. */
export async function initCrypto(client: MatrixClient): Promise<void> {
  await client.initRustCrypto();
}

/** Runs a request that needs user-interactive auth with the account password (m.login.password). */
export function passwordAuth(client: MatrixClient, password: string): UIAuthCallback<void> {
  return async (makeRequest) => {
    let session: string | undefined;
    try {
      await makeRequest(null);
      return;
    } catch (e) {
      const err = e as { httpStatus?: number; data?: { session?: string } };
      if (err.httpStatus !== 401) throw e;
      session = err.data?.session;
    }
    await makeRequest({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: client.getUserId()! },
      password,
      ...(session ? { session } : {}),
    } as AuthDict);
  };
}

export interface BackupStatus {
  /** Cross-signing keys exist and this device has them. */
  crossSigningReady: boolean;
  /** Secret storage holds the keys (a recovery key has been set up on some device). */
  secretStorageReady: boolean;
  /** The server has a key backup. */
  hasBackup: boolean;
  /** This device uploads to and can read from the backup. */
  backupActive: boolean;
}

export async function backupStatus(client: MatrixClient): Promise<BackupStatus> {
  const crypto = client.getCrypto();
  if (!crypto) return { crossSigningReady: false, secretStorageReady: false, hasBackup: false, backupActive: false };
  const [crossSigningReady, secretStorageReady, info, active] = await Promise.all([
    crypto.isCrossSigningReady(),
    crypto.isSecretStorageReady(),
    crypto.getKeyBackupInfo().catch(() => null),
    crypto.getActiveSessionBackupVersion(),
  ]);
  return { crossSigningReady, secretStorageReady, hasBackup: !!info, backupActive: !!active };
}

/**
 * Sets up secure backup from scratch: cross-signing keys (the password confirms the upload), a new recovery key
 * protecting secret storage, and a new server-side key backup. Returns the recovery key to show the user once.
 */
export async function setUpSecureBackup(client: MatrixClient, password: string): Promise<string> {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error("encryption is not available");
  let generated: GeneratedSecretStorageKey | null = null;
  await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(client, password) });
  await crypto.bootstrapSecretStorage({
    createSecretStorageKey: async () => {
      generated = await crypto.createRecoveryKeyFromPassphrase();
      return generated;
    },
    setupNewSecretStorage: true,
    setupNewKeyBackup: true,
  });
  // The new key stays usable for this page only until setup is done.
  pendingKey = null;
  const key = (generated as GeneratedSecretStorageKey | null)?.encodedPrivateKey;
  if (!key) throw new Error("no recovery key was generated");
  return key;
}

/** Thrown when the recovery key is malformed or does not open secret storage. */
export class WrongRecoveryKey extends Error {}

/**
 * Uses the recovery key on this device: checks it, imports the cross-signing keys (which verifies this device),
 * fetches the backup key and restores the backed-up room keys so older messages can be read.
 * Returns the number of restored room keys.
 */
export async function restoreWithRecoveryKey(client: MatrixClient, recoveryKey: string): Promise<number> {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error("encryption is not available");
  let key: Uint8Array;
  try {
    key = decodeRecoveryKey(recoveryKey.trim());
  } catch {
    throw new WrongRecoveryKey("malformed");
  }
  const defaultKey = await client.secretStorage.getDefaultKeyId();
  if (!defaultKey) throw new WrongRecoveryKey("no secret storage");
  const keyInfo = await client.secretStorage.getKey(defaultKey);
  if (!keyInfo || !(await client.secretStorage.checkKey(key, keyInfo[1]))) throw new WrongRecoveryKey("mismatch");
  pendingKey = key;
  try {
    await crypto.bootstrapCrossSigning({});
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    await crypto.checkKeyBackupAndEnable();
    const result = await crypto.restoreKeyBackup();
    return result.imported;
  } finally {
    pendingKey = null;
  }
}

// The password of the sign-in that just happened, kept in memory until cross-signing is set up (never stored).
let signInPassword: string | null = null;

export function rememberSignInPassword(password: string): void {
  signInPassword = password;
}

/**
 * After a fresh sign-in: if the account has no cross-signing identity yet, create one (the sign-in password
 * confirms the upload), so that this device is verified and others can verify this user. An account that already
 * has an identity keeps it; this device then needs the recovery key or another device to be verified.
 */
export async function ensureCrossSigning(client: MatrixClient): Promise<void> {
  const password = signInPassword;
  signInPassword = null;
  const crypto = client.getCrypto();
  if (!crypto || !password) return;
  if (await crypto.userHasCrossSigningKeys(client.getUserId()!, true)) return;
  await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(client, password) });
}

/** Whether this device is verified by its user's cross-signing identity (false while there is none). */
export async function thisDeviceVerified(client: MatrixClient): Promise<boolean | null> {
  const crypto = client.getCrypto();
  if (!crypto) return null;
  if (!(await crypto.userHasCrossSigningKeys(client.getUserId()!))) return null;
  const status = await crypto.getDeviceVerificationStatus(client.getUserId()!, client.getDeviceId()!);
  return !!status?.crossSigningVerified;
}
