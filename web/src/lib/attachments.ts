/**
 * Encrypted attachments for end-to-end encrypted rooms (spec: "Sending encrypted attachments"): AES-256-CTR with a
 * random key and IV, SHA-256 of the ciphertext; the key travels inside the encrypted event, never to the server.
 */
export interface EncryptedFile {
  url: string;
  key: { kty: "oct"; key_ops: string[]; alg: "A256CTR"; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: "v2";
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "");
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  // Accept unpadded and URL-safe base64 (the key is a JWK, which is URL-safe).
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(std + "===".slice((std.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function encryptAttachment(plain: ArrayBuffer): Promise<{ data: ArrayBuffer; info: Omit<EncryptedFile, "url"> }> {
  const iv = new Uint8Array(16);
  // 64 random bits, then a zero counter: the counter cannot wrap for any file size.
  crypto.getRandomValues(iv.subarray(0, 8));
  const key = await crypto.subtle.generateKey({ name: "AES-CTR", length: 256 }, true, ["encrypt", "decrypt"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const data = await crypto.subtle.encrypt({ name: "AES-CTR", counter: iv, length: 64 }, key, plain);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return {
    data,
    info: {
      key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: jwk.k!, ext: true },
      iv: toBase64(iv),
      hashes: { sha256: toBase64(hash) },
      v: "v2",
    },
  };
}

/** Checks the hash, then decrypts. Throws on a mismatch (a tampered or wrong file). */
export async function decryptAttachment(cipher: ArrayBuffer, info: Pick<EncryptedFile, "key" | "iv" | "hashes">): Promise<ArrayBuffer> {
  const expected = info.hashes?.sha256;
  if (!expected) throw new Error("attachment without sha256 hash");
  const actual = toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", cipher)));
  if (actual !== expected.replace(/=+$/, "")) throw new Error("attachment hash mismatch");
  const key = await crypto.subtle.importKey("jwk", { ...info.key, key_ops: ["encrypt", "decrypt"] }, { name: "AES-CTR" }, false, ["decrypt"]);
  return crypto.subtle.decrypt({ name: "AES-CTR", counter: fromBase64(info.iv), length: 64 }, key, cipher);
}
