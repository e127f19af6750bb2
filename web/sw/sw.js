/* Amtsbote service worker: caches the app shell so the client opens offline. API calls are never cached. */
const VERSION = "__VERSION__";
const CACHE = `amtsbote-shell-${VERSION}`;
const PRECACHE = __PRECACHE__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(["/", ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("amtsbote-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/_matrix/") || url.pathname.startsWith("/_amtsbote/") || url.pathname.startsWith("/.well-known/")) return;

  if (req.mode === "navigate") {
    // Network first so updates arrive; the cached shell when offline.
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put("/", copy));
          }
          return res;
        })
        .catch(() => caches.match("/", { cacheName: CACHE }).then((r) => r || Response.error())),
    );
    return;
  }
  event.respondWith(
    caches.match(req, { cacheName: CACHE }).then(
      (cached) =>
        cached ||
        fetch(req).then((res) => {
          if (res.ok && url.pathname.startsWith("/assets/")) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(req, copy));
          }
          return res;
        }),
    ),
  );
});

/*
 * Web Push (the server is its own push gateway for this app): the push holds only room id, event id, unread
 * count and priority, never message text, so the notification says only that something new arrived; a click
 * opens the room. When a window of the app is visible it shows new messages itself.
 */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    /* not ours; still show something, as the browser requires */
  }
  event.waitUntil(
    (async () => {
      const unread = data && data.counts && typeof data.counts.unread === "number" ? data.counts.unread : null;
      if (unread !== null && self.navigator.setAppBadge) {
        await (unread > 0 ? self.navigator.setAppBadge(unread) : self.navigator.clearAppBadge()).catch(() => undefined);
      }
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      if (windows.some((c) => c.visibilityState === "visible")) return;
      const de = (self.navigator.language || "").toLowerCase().startsWith("de");
      const title = de ? "Neue Nachricht" : "New message";
      const body = unread && unread > 1 ? (de ? `${unread} ungelesene Nachrichten` : `${unread} unread messages`) : "";
      const roomId = typeof data.room_id === "string" ? data.room_id : null;
      await self.registration.showNotification(title, {
        body,
        // Same tag as the open app's own notifications for the room: one per room, not one per message.
        tag: roomId || "amtsbote",
        icon: "/icons/icon-192.png",
        data: { roomId },
      });
    })(),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const roomId = event.notification.data && event.notification.data.roomId;
  const url = roomId ? `/#/room/${encodeURIComponent(roomId)}` : "/";
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const c of windows) {
        if (new URL(c.url).origin === self.location.origin) {
          await c.focus();
          if (c.navigate) await c.navigate(url).catch(() => undefined);
          return;
        }
      }
      await self.clients.openWindow(url);
    })(),
  );
});
