import { Method, type IPusherRequest, type MatrixClient } from "matrix-js-sdk";

/**
 * Web Push for the installed app: notifications while no tab is open. Amtsbote is its own push gateway for
 * web pushers (app id below): the browser's subscription is registered as a pusher, the server encrypts each
 * push for it (RFC 8291) and sends only room id, event id, unread count and priority; the service worker
 * shows a notification without message text (sw/sw.js).
 */
export const WEB_PUSH_APP_ID = "de.amtsbote.webpush";

/** base64url (with or without padding) to bytes: the form of the server's VAPID key. */
export function base64UrlToBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

/** The POST /pushers/set body for a subscription; null if the browser gave no keys (nothing we can encrypt for). */
export function webPusher(sub: PushSubscriptionJSON, lang: string, deviceName: string): IPusherRequest | null {
  const endpoint = sub.endpoint;
  const p256dh = sub.keys?.p256dh;
  const auth = sub.keys?.auth;
  if (!endpoint || !p256dh || !auth) return null;
  return {
    kind: "http",
    app_id: WEB_PUSH_APP_ID,
    pushkey: endpoint,
    app_display_name: "Amtsbote Web",
    device_display_name: deviceName,
    lang,
    // The server's subscription fields; format is what the server sends anyway (ids only).
    data: { endpoint, p256dh, auth, format: "event_id_only" } as IPusherRequest["data"],
    // One subscription belongs to one browser profile: whoever signed in last gets its pushes.
    append: false,
  };
}

/**
 * Subscribes this browser to Web Push and registers the subscription with the server. Needs the permission
 * already granted and the service worker (production builds only); returns whether it is now subscribed.
 */
export async function subscribeToWebPush(client: MatrixClient): Promise<boolean> {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return false;
  if (!("serviceWorker" in navigator) || typeof PushManager === "undefined") return false;
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg) return false;
  const { public_key } = await client.http.authedRequest<{ public_key: string }>(
    Method.Get, "/webpush/vapid_public_key", undefined, undefined, { prefix: "/_amtsbote/client/v1" },
  );
  const key = base64UrlToBytes(public_key);
  let sub = await reg.pushManager.getSubscription();
  // A subscription for another server key (the server's key was replaced) would be refused by the push service.
  if (sub && !sameBytes(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const pusher = webPusher(sub.toJSON(), document.documentElement.lang || navigator.language || "en", "Browser");
  if (!pusher) return false;
  await client.setPusher(pusher);
  return true;
}
