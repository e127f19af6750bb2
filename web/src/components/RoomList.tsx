import { useId, useState } from "react";
import { KnownMembership, type MatrixClient, type Room } from "matrix-js-sdk";
import { formatListTime, t } from "../i18n";
import { acceptInvite, errorMessage, leaveRoom, myMembership, isDirect, lastActivityTs, lastMessage, roomName, unreadCount } from "../matrix";
import { matchesFilter, previewText } from "../lib/timeline";
import { Avatar } from "./Media";

export function sortedRooms(client: MatrixClient): Room[] {
  return client
    .getRooms()
    .filter((r) => {
      const m = myMembership(r);
      return m === KnownMembership.Join || m === KnownMembership.Invite;
    })
    .sort((a, b) => {
      const ia = myMembership(a) === KnownMembership.Invite ? 1 : 0;
      const ib = myMembership(b) === KnownMembership.Invite ? 1 : 0;
      return ib - ia || lastActivityTs(b) - lastActivityTs(a);
    });
}

export const previewLabels = () => ({ image: t("msg.image"), file: t("msg.file"), voice: t("msg.voice"), deleted: t("msg.deleted") });

export function RoomList({ client, selected, onSelect }: { client: MatrixClient; selected: string | null; onSelect: (roomId: string) => void }) {
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<string | null>(null);
  const searchId = useId();
  const me = client.getUserId()!;
  const rooms = sortedRooms(client).filter((r) => matchesFilter(roomName(client, r), filter));
  const total = client.getRooms().length;
  return (
    <nav className="room-list" aria-label={t("list.title")}>
      <div className="list-search">
        <label htmlFor={searchId} className="sr-only">
          {t("list.search")}
        </label>
        <input id={searchId} type="search" placeholder={t("list.search")} value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {rooms.length === 0 && <p className="empty">{total === 0 || !filter ? t("list.empty") : t("list.noMatch")}</p>}
      <ul>
        {rooms.map((room) => {
          const invited = myMembership(room) === KnownMembership.Invite;
          const name = roomName(client, room);
          const direct = isDirect(client, room);
          const last = lastMessage(room);
          const { count, highlight } = invited ? { count: 0, highlight: false } : unreadCount(client, room);
          const inviter = invited ? room.getMember(me)?.events.member?.getSender() : undefined;
          const inviterName = inviter ? (room.getMember(inviter)?.name ?? inviter) : "";
          let preview = t("list.noMessages");
          if (invited) preview = t("list.invitedBy", { name: inviterName });
          else if (last) {
            const text = last.isDecryptionFailure() ? t("msg.undecryptable") : previewText(last.isRedacted() ? {} : last.getContent(), previewLabels());
            const sender = last.getSender() === me ? t("list.you") : direct ? "" : (room.getMember(last.getSender()!)?.name ?? last.getSender());
            preview = sender ? `${sender}: ${text}` : text;
          }
          const ts = lastActivityTs(room);
          const avatarMxc = room.getMxcAvatarUrl() ?? (direct ? room.getAvatarFallbackMember()?.getMxcAvatarUrl() : undefined);
          const unreadLabel = count > 0 ? t("list.unread", { count }) : "";
          return (
            <li key={room.roomId} className={`room-item ${room.roomId === selected ? "selected" : ""} ${count > 0 ? "unread" : ""}`}>
              <button
                type="button"
                className="room-button"
                aria-current={room.roomId === selected ? "page" : undefined}
                onClick={() => onSelect(room.roomId)}
              >
                <Avatar client={client} mxc={avatarMxc} name={name} id={room.roomId} size={44} />
                <span className="room-text">
                  <span className="room-top">
                    <span className="room-name">{name}</span>
                    <span className="sr-only">
                      {", "}
                      {[direct ? t("list.direct") : t("list.group"), invited ? t("list.invite") : "", unreadLabel, highlight ? t("list.mention") : ""].filter(Boolean).join(", ")}
                      {", "}
                    </span>
                    {ts > 0 && <span className="room-time">{formatListTime(ts)}</span>}
                  </span>
                  <span className="room-bottom">
                    <span className="room-preview">{preview}</span>
                    {invited && (
                      <span className="badge invite" aria-hidden="true">
                        {t("list.invite")}
                      </span>
                    )}
                    {count > 0 && (
                      <span className={`badge ${highlight ? "highlight" : ""}`} aria-hidden="true">
                        {highlight ? "@ " : ""}
                        {count > 99 ? "99+" : count}
                      </span>
                    )}
                  </span>
                </span>
              </button>
              {invited && (
                <div className="invite-actions">
                  <button
                    type="button"
                    className="btn small primary"
                    aria-label={`${t("invite.accept")}: ${name}`}
                    onClick={() =>
                      acceptInvite(client, room)
                        .then(() => onSelect(room.roomId))
                        .catch((e) => setError(t("error.generic", { message: errorMessage(e) })))
                    }
                  >
                    {t("invite.accept")}
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    aria-label={`${t("invite.decline")}: ${name}`}
                    onClick={() => leaveRoom(client, room).catch((e) => setError(t("error.generic", { message: errorMessage(e) })))}
                  >
                    {t("invite.decline")}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
