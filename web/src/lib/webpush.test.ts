import { describe, expect, it } from "vitest";
import { WEB_PUSH_APP_ID, base64UrlToBytes, webPusher } from "./webpush";

describe("web push", () => {
  it("decodes the server's unpadded base64url VAPID key", () => {
    // 0xfb 0xff 0xbf: the characters that differ between base64 and base64url.
    expect(Array.from(base64UrlToBytes("-_-_"))).toEqual([0xfb, 0xff, 0xbf]);
    expect(Array.from(base64UrlToBytes("AQ"))).toEqual([1]);
    expect(Array.from(base64UrlToBytes("AQ=="))).toEqual([1]);
  });

  it("registers the subscription as a web pusher whose pushkey is the endpoint", () => {
    const p = webPusher({ endpoint: "https://push.example.net/x", keys: { p256dh: "BKey", auth: "secret" } }, "de", "Browser")!;
    expect(p.app_id).toBe(WEB_PUSH_APP_ID);
    expect(p.kind).toBe("http");
    expect(p.pushkey).toBe("https://push.example.net/x");
    expect(p.data).toEqual({ endpoint: "https://push.example.net/x", p256dh: "BKey", auth: "secret", format: "event_id_only" });
    expect(p.append).toBe(false);
  });

  it("does not register a subscription without keys", () => {
    expect(webPusher({ endpoint: "https://push.example.net/x" }, "de", "Browser")).toBeNull();
  });
});
