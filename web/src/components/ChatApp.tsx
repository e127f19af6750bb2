import { useEffect, useRef, useState } from "react";
import { ClientEvent, EventType, RoomEvent, SyncState, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";
import { t } from "../i18n";
import { errorMessage, myMembership, onceSynced, roomName, unreadCount } from "../matrix";
import { useClientVersion, useHashRoute, useOnline } from "../hooks";
import { previewText } from "../lib/timeline";
import { RoomList, previewLabels } from "./RoomList";
import { RoomView } from "./RoomView";
import { NewChatDialog, NewGroupDialog, ProfileDialog, RoomSettingsDialog } from "./Dialogs";
import { Avatar } from "./Media";
import { Icon } from "./Icons";
import { subscribeToWebPush } from "../lib/webpush";
import { BackupDialog, VerificationDialog, useIncomingVerification } from "./Security";
import { ensureCrossSigning, thisDeviceVerified } from "../crypto";
import { CryptoEvent, type VerificationRequest } from "matrix-js-sdk/lib/crypto-api/index.js";

type DialogKind = "newChat" | "newGroup" | "profile" | "settings" | "security" | null;

/** The messenger. Ended sessions (401 M_UNKNOWN_TOKEN) are handled by App, which also wipes local data. */
export function ChatApp({ client, onLogout, isAdmin = false }: { client: MatrixClient; onLogout: () => void; isAdmin?: boolean }) {
  const version = useClientVersion(client);
  const [roomId, navigate] = useHashRoute();
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [ready, setReady] = useState(client.isInitialSyncComplete());
  const [syncState, setSyncState] = useState<SyncState | null>(client.getSyncState());
  const [announcement, setAnnouncement] = useState("");
  const [menuOpen, setMenuOpen] = useState(false);
  const [notifPerm, setNotifPerm] = useState<NotificationPermission | "unsupported">(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  const [notifMsg, setNotifMsg] = useState<string | null>(null);
  const online = useOnline();
  const [incoming, setIncoming] = useIncomingVerification(client);
  const [outgoing, setOutgoing] = useState<VerificationRequest | null>(null);
  const [deviceVerified, setDeviceVerified] = useState<boolean | null>(null);
  const roomRef = useRef<string | null>(roomId);
  roomRef.current = roomId;

  useEffect(() => {
    void onceSynced(client).then(() => setReady(true));
    const onSync = (state: SyncState) => setSyncState(state);
    client.on(ClientEvent.Sync, onSync);
    return () => {
      client.off(ClientEvent.Sync, onSync);
    };
  }, [client]);

  // With notifications allowed, pushes reach this browser while the app is closed (re-registered at each start,
  // since a new sign-in is a new device and the server drops pushers of ended sessions).
  useEffect(() => {
    void subscribeToWebPush(client).catch(() => undefined);
  }, [client]);

  // Encryption: create the cross-signing identity after a first sign-in; track whether this device is verified.
  useEffect(() => {
    let live = true;
    const refresh = () => void thisDeviceVerified(client).then((v) => live && setDeviceVerified(v), () => undefined);
    void onceSynced(client)
      .then(() => ensureCrossSigning(client))
      .catch((e) => console.error("cross-signing setup failed", e))
      .then(refresh);
    // Our device's trust changes with our own keys (restore, verification, a re-fetched device list).
    const events = [CryptoEvent.UserTrustStatusChanged, CryptoEvent.KeysChanged, CryptoEvent.DevicesUpdated] as const;
    for (const e of events) client.on(e as any, refresh);
    return () => {
      live = false;
      for (const e of events) client.off(e as any, refresh);
    };
  }, [client, dialog === "security"]);

  const verifyUser = async (userId: string, viaRoomId: string) => {
    const crypto = client.getCrypto();
    if (!crypto) return;
    try {
      setOutgoing(await crypto.requestVerificationDM(userId, viaRoomId));
    } catch (e) {
      setNotifMsg(t("backup.error", { message: errorMessage(e) }));
    }
  };
  const verifyThisDevice = async () => {
    const crypto = client.getCrypto();
    if (!crypto) return;
    try {
      setOutgoing(await crypto.requestOwnUserVerification());
    } catch (e) {
      setNotifMsg(t("backup.error", { message: errorMessage(e) }));
    }
  };

  // Browser notifications for new messages while the tab is hidden.
  useEffect(() => {
    const onTimeline = (ev: MatrixEvent, room: Room | undefined, toStart: boolean | undefined, removed: boolean, data: { liveEvent?: boolean }) => {
      if (toStart || removed || !data?.liveEvent || !room || !client.isInitialSyncComplete()) return;
      if (ev.getSender() === client.getUserId() || ev.getType() !== "m.room.message") return;
      if (ev.getContent()["m.relates_to"]?.rel_type === "m.replace") return;
      if (Date.now() - ev.getTs() > 60_000) return;
      if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
      if (!document.hidden && roomRef.current === room.roomId) return;
      if (!document.hidden) return;
      const sender = room.getMember(ev.getSender()!)?.name ?? ev.getSender();
      const name = roomName(client, room);
      try {
        const n = new Notification(name === sender ? sender! : `${sender} (${name})`, {
          body: previewText(ev.getContent(), previewLabels()),
          tag: room.roomId,
          icon: "/icons/icon-192.png",
        });
        n.onclick = () => {
          window.focus();
          navigate(room.roomId);
          n.close();
        };
      } catch {
        /* some platforms only allow notifications from a service worker */
      }
    };
    client.on(RoomEvent.Timeline, onTimeline as any);
    return () => {
      client.off(RoomEvent.Timeline, onTimeline as any);
    };
  }, [client]);

  // Title badge with the number of unread messages.
  const rooms = client.getRooms();
  let unread = 0;
  for (const r of rooms) if (myMembership(r) === "join") unread += unreadCount(client, r).count;
  useEffect(() => {
    const title = unread > 0 ? `(${unread}) ${t("app.name")}` : t("app.name");
    if (document.title !== title) document.title = title;
  });
  useEffect(() => {
    const nav = navigator as any;
    try {
      if (nav.setAppBadge) (unread > 0 ? nav.setAppBadge(unread) : nav.clearAppBadge?.())?.catch?.(() => undefined);
    } catch {
      /* badging not allowed here */
    }
  }, [unread]);

  const openRoom = roomId ? client.getRoom(roomId) : null;
  const room = openRoom && myMembership(openRoom) !== "leave" ? openRoom : null;
  const me = client.getUserId()!;
  const meUser = client.getUser(me);
  const myName = meUser?.displayName || me;

  const enableNotifications = async () => {
    if (typeof Notification === "undefined") return;
    const p = await Notification.requestPermission();
    setNotifPerm(p);
    setNotifMsg(p === "granted" ? t("menu.notificationsOn") : p === "denied" ? t("menu.notificationsDenied") : null);
    if (p === "granted") void subscribeToWebPush(client).catch(() => undefined);
  };

  const connectionProblem = !online || syncState === SyncState.Error || syncState === SyncState.Reconnecting;
  return (
    <div className={`app ${room ? "has-room" : "no-room"}`} data-unread={unread}>
      <a href="#main" className="skip-link">
        {t("app.skip")}
      </a>
      <div className="sidebar">
        <header className="app-header">
          <button type="button" className="profile-button" onClick={() => setDialog("profile")} aria-label={`${t("menu.profile")}: ${myName}`}>
            <Avatar client={client} mxc={meUser?.avatarUrl} name={myName} id={me} size={36} />
          </button>
          <h1>{t("list.title")}</h1>
          <button type="button" className="btn icon" onClick={() => setDialog("newChat")} aria-label={t("menu.newChat")} title={t("menu.newChat")}>
            <Icon name="compose" />
          </button>
          <div className="menu-wrap">
            <button type="button" className="btn icon" aria-haspopup="true" aria-expanded={menuOpen} aria-label={t("menu.label")} onClick={() => setMenuOpen(!menuOpen)}>
              <Icon name="menu" />
            </button>
            {menuOpen && (
              <ul className="menu" onKeyDown={(e) => e.key === "Escape" && setMenuOpen(false)}>
                <li>
                  <button type="button" autoFocus onClick={() => (setMenuOpen(false), setDialog("newChat"))}>
                    {t("menu.newChat")}
                  </button>
                </li>
                <li>
                  <button type="button" onClick={() => (setMenuOpen(false), setDialog("newGroup"))}>
                    {t("menu.newGroup")}
                  </button>
                </li>
                <li>
                  <button type="button" onClick={() => (setMenuOpen(false), setDialog("profile"))}>
                    {t("menu.profile")}
                  </button>
                </li>
                <li>
                  <button type="button" onClick={() => (setMenuOpen(false), setDialog("security"))}>
                    {t("menu.security")}
                  </button>
                </li>
                {isAdmin && (
                  <li>
                    <a href="#/admin/users" onClick={() => setMenuOpen(false)}>
                      {t("menu.admin")}
                    </a>
                  </li>
                )}
                {notifPerm !== "unsupported" && notifPerm !== "granted" && (
                  <li>
                    <button type="button" onClick={() => (setMenuOpen(false), void enableNotifications())}>
                      {t("menu.notifications")}
                    </button>
                  </li>
                )}
                <li>
                  <button type="button" onClick={() => (setMenuOpen(false), onLogout())}>
                    {t("menu.logout")}
                  </button>
                </li>
              </ul>
            )}
          </div>
        </header>
        {connectionProblem && (
          <p className="banner offline" role="status">
            {online ? t("app.offline") : t("app.offlineBrowser")}
          </p>
        )}
        {deviceVerified === false && (
          <div className="banner unverified-device" role="status">
            <p>{t("verify.thisDevice")}</p>
            <button type="button" className="btn small" onClick={() => void verifyThisDevice()}>
              {t("verify.otherDevice")}
            </button>{" "}
            <button type="button" className="btn small" onClick={() => setDialog("security")}>
              {t("backup.enterKey")}
            </button>
          </div>
        )}
        {notifMsg && (
          <p className="banner" role="status">
            {notifMsg}{" "}
            <button type="button" className="btn small" onClick={() => setNotifMsg(null)}>
              {t("dialog.close")}
            </button>
          </p>
        )}
        {ready ? (
          <RoomList client={client} selected={roomId} onSelect={(id) => navigate(id)} />
        ) : (
          <p className="loading" role="status">
            {t("app.syncing")}
          </p>
        )}
      </div>
      {room ? (
        <RoomView key={room.roomId} client={client} room={room} version={version} onBack={() => navigate(null)} onSettings={() => setDialog("settings")} announce={setAnnouncement} onVerify={(u) => void verifyUser(u, room.roomId)} />
      ) : (
        <main className="room-view empty-room" id="main" aria-label={t("app.name")}>
          <p>{ready ? t("room.none") : t("app.syncing")}</p>
        </main>
      )}
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      {dialog === "newChat" && <NewChatDialog client={client} onClose={() => setDialog(null)} onOpened={(id) => (setDialog(null), navigate(id))} />}
      {dialog === "newGroup" && <NewGroupDialog client={client} onClose={() => setDialog(null)} onOpened={(id) => (setDialog(null), navigate(id))} />}
      {dialog === "profile" && <ProfileDialog client={client} onClose={() => setDialog(null)} />}
      {dialog === "security" && <BackupDialog client={client} onClose={() => setDialog(null)} />}
      {(outgoing ?? incoming) && (
        <VerificationDialog
          key={(outgoing ?? incoming)!.transactionId ?? "verification"}
          client={client}
          request={(outgoing ?? incoming)!}
          onClose={() => (outgoing ? setOutgoing(null) : setIncoming(null))}
        />
      )}
      {dialog === "settings" && room && <RoomSettingsDialog client={client} room={room} onClose={() => setDialog(null)} onLeft={() => (setDialog(null), navigate(null))} />}
    </div>
  );
}

export { errorMessage, EventType };
