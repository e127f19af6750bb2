import { describe, expect, it } from "vitest";
import { decryptAttachment, encryptAttachment } from "./attachments";

describe("encrypted attachments", () => {
  it("round-trips and the server only sees ciphertext", async () => {
    const plain = new TextEncoder().encode("Lageplan Bauhof, vertraulich").buffer as ArrayBuffer;
    const { data, info } = await encryptAttachment(plain);
    expect(new TextDecoder().decode(data)).not.toContain("Lageplan");
    expect(info.key.alg).toBe("A256CTR");
    expect(info.v).toBe("v2");
    const back = await decryptAttachment(data, info);
    expect(new TextDecoder().decode(back)).toBe("Lageplan Bauhof, vertraulich");
  });

  it("refuses a file whose hash does not match", async () => {
    const { data, info } = await encryptAttachment(new TextEncoder().encode("abc").buffer as ArrayBuffer);
    const tampered = new Uint8Array(data.slice(0));
    tampered[0] ^= 1;
    await expect(decryptAttachment(tampered.buffer, info)).rejects.toThrow(/hash/);
  });
});
