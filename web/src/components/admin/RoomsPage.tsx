import { useEffect, useId, useState } from "react";
import { t } from "../../i18n";
import { adminHref } from "../../lib/adminRoutes";
import type { RoomSummary } from "../../lib/adminApi";
import { ConfirmDialog, LoadState, OutcomeText, useAction, useAdmin, useLoad, yesNo } from "./common";
import { userHref } from "./UsersPage";

const roomHref = (roomId: string) => adminHref("rooms", roomId);
const roomLabel = (r: RoomSummary) => r.name || r.canonical_alias || t("rooms.unnamed");

/** All rooms of the server, largest first, with search. */
export function RoomsPage() {
  const { api } = useAdmin();
  const [term, setTerm] = useState("");
  const [search, setSearch] = useState("");
  const rooms = useLoad(() => api.listRooms({ search: search || undefined }), [api, search]);
  const id = useId();
  useEffect(() => {
    const timer = setTimeout(() => setSearch(term.trim()), 300);
    return () => clearTimeout(timer);
  }, [term]);
  return (
    <section>
      <label htmlFor={id}>{t("rooms.search")}</label>
      <input id={id} type="search" value={term} onChange={(e) => setTerm(e.target.value)} autoComplete="off" />
      <LoadState loading={rooms.loading} error={rooms.error} />
      {rooms.data && <p>{t("rooms.count", { count: rooms.data.total_rooms })}</p>}
      {rooms.data && rooms.data.rooms.length === 0 && <p>{t("rooms.none")}</p>}
      {rooms.data && rooms.data.rooms.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t("rooms.colName")}</th>
              <th scope="col">{t("rooms.colMembers")}</th>
              <th scope="col">{t("rooms.colEvents")}</th>
              <th scope="col">{t("rooms.colEncrypted")}</th>
            </tr>
          </thead>
          <tbody>
            {rooms.data.rooms.map((r) => (
              <tr key={r.room_id}>
                <th scope="row">
                  <a href={roomHref(r.room_id)}>{roomLabel(r)}</a>
                </th>
                <td>{r.joined_members}</td>
                <td>{r.state_events ?? ""}</td>
                <td>{yesNo(r.encryption)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One room: facts, members, and deletion (with purge and block) behind a typed confirmation. */
export function RoomDetail({ roomId }: { roomId: string }) {
  const { api } = useAdmin();
  const room = useLoad(() => Promise.all([api.getRoom(roomId), api.roomMembers(roomId)]), [api, roomId]);
  // Blocking is a separate, reversible act (Synapse's v1 block API); a server without it just hides the button.
  const blocked = useLoad(() => api.roomBlock(roomId), [api, roomId]);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [purge, setPurge] = useState(true);
  const [block, setBlock] = useState(false);
  const [message, setMessage] = useState("");
  const action = useAction();
  const msgId = useId();
  const [r, members] = room.data ?? [null, null];

  const remove = async () => {
    const { delete_id } = await api.deleteRoom(roomId, { purge, block, ...(message.trim() ? { message: message.trim() } : {}) });
    await action.run(async () => {
      // Deletion runs in the background on the server; wait for it so the admin sees the real outcome.
      for (let i = 0; i < 60; i++) {
        const s = await api.deleteStatus(delete_id);
        if (s.status === "complete") return t("rooms.deleted");
        if (s.status === "failed") throw new Error(t("rooms.deleteFailed", { message: s.error ?? "" }));
        await new Promise((res) => setTimeout(res, 1000));
      }
      return t("rooms.deleting");
    });
  };

  return (
    <>
      <p>
        <a href="#/admin/rooms">{t("rooms.backToList")}</a>
      </p>
      <LoadState loading={room.loading} error={room.error} />
      <OutcomeText outcome={action.message} />
      {r && members && (
        <>
          <h3>{roomLabel(r)}</h3>
          <dl className="admin-facts">
            <dt>{t("rooms.id")}</dt>
            <dd>{r.room_id}</dd>
            {r.topic && (
              <>
                <dt>{t("rooms.topic")}</dt>
                <dd>{r.topic}</dd>
              </>
            )}
            <dt>{t("rooms.creator")}</dt>
            <dd>{r.creator ?? ""}</dd>
            <dt>{t("rooms.colEncrypted")}</dt>
            <dd>{yesNo(r.encryption)}</dd>
            <dt>{t("rooms.colEvents")}</dt>
            <dd>{r.state_events ?? ""}</dd>
          </dl>
          <h4>{t("rooms.members", { count: members.total })}</h4>
          <ul className="admin-list">
            {members.members.map((m) => (
              <li key={m}>
                <a href={userHref(m)}>{m}</a>
              </li>
            ))}
          </ul>
          <div className="admin-actions">
            {blocked.data && (
              <button type="button" className="btn" onClick={() => setConfirmBlock(true)}>
                {blocked.data.block ? t("rooms.unblockRoom") : t("rooms.blockRoom")}
              </button>
            )}
            <button type="button" className="btn danger" onClick={() => setConfirm(true)}>
              {t("rooms.delete")}
            </button>
          </div>
          {blocked.data?.block && <p className="hint">{t("rooms.isBlocked")}</p>}
        </>
      )}
      {confirmBlock && blocked.data && (
        <ConfirmDialog
          title={blocked.data.block ? t("rooms.unblockRoom") : t("rooms.blockRoom")}
          text={blocked.data.block ? t("rooms.unblockText") : t("rooms.blockText")}
          confirmLabel={blocked.data.block ? t("rooms.unblockRoom") : t("rooms.blockRoom")}
          danger={!blocked.data.block}
          onClose={() => setConfirmBlock(false)}
          onConfirm={async () => {
            await api.setRoomBlock(roomId, !blocked.data!.block);
            blocked.reload();
          }}
        />
      )}
      {confirm && (
        <ConfirmDialog title={t("rooms.deleteTitle")} text={t("rooms.deleteText")} confirmLabel={t("rooms.deleteTitle")} danger word={t("rooms.deleteWord")} onClose={() => setConfirm(false)} onConfirm={remove}>
          <label className="check">
            <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} /> {t("rooms.purge")}
          </label>
          <label className="check">
            <input type="checkbox" checked={block} onChange={(e) => setBlock(e.target.checked)} /> {t("rooms.block")}
          </label>
          <label htmlFor={msgId}>{t("rooms.message")}</label>
          <input id={msgId} value={message} onChange={(e) => setMessage(e.target.value)} autoComplete="off" />
        </ConfirmDialog>
      )}
    </>
  );
}
