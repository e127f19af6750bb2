import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { EventType, KnownMembership, type MatrixClient, type Room } from "matrix-js-sdk";
import { t } from "../i18n";
import { createGroup, errorMessage, leaveRoom, mayDo, sendState, maxUploadBytes, openOrCreateDm, powerLevel } from "../matrix";
import { Avatar } from "./Media";
import { Icon } from "./Icons";
import { formatSize } from "../i18n";

export function Dialog({ title, onClose, children, className }: { title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog ref={ref} className={`dialog ${className ?? ""}`} aria-labelledby={id} onClose={onClose} onCancel={onClose}>
      <div className="dialog-head">
        <h2 id={id}>{title}</h2>
        <button type="button" className="btn icon" onClick={onClose} aria-label={t("dialog.close")}>
          <Icon name="close" />
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

interface DirUser {
  user_id: string;
  display_name?: string;
  avatar_url?: string;
}

function UserSearch({ client, onPick, exclude = [], label }: { client: MatrixClient; onPick: (u: DirUser) => void; exclude?: string[]; label: (u: DirUser) => string }) {
  const [term, setTerm] = useState("");
  const [results, setResults] = useState<DirUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  useEffect(() => {
    const q = term.trim();
    if (!q) {
      setResults([]);
      return;
    }
    let live = true;
    setBusy(true);
    const timer = setTimeout(async () => {
      try {
        const res = await client.searchUserDirectory({ term: q, limit: 20 });
        let list: DirUser[] = res.results;
        // Allow a full user ID even if the directory does not list it.
        if (/^@[^:]+:.+$/.test(q) && !list.some((u) => u.user_id === q)) list = [{ user_id: q }, ...list];
        if (live) {
          setResults(list.filter((u) => u.user_id !== client.getUserId() && !exclude.includes(u.user_id)));
          setError(null);
        }
      } catch (e) {
        if (live) setError(t("error.generic", { message: errorMessage(e) }));
      } finally {
        if (live) setBusy(false);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [term, client, exclude.join(",")]);
  return (
    <div className="user-search">
      <label htmlFor={id}>{t("newChat.search")}</label>
      <input id={id} type="search" value={term} onChange={(e) => setTerm(e.target.value)} autoComplete="off" autoFocus />
      <div role="status" className="hint">
        {busy ? t("newChat.searching") : term.trim() && results.length === 0 && !error ? t("newChat.noResults") : ""}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <ul className="user-results">
        {results.map((u) => (
          <li key={u.user_id}>
            <button type="button" className="user-row" onClick={() => onPick(u)} aria-label={label(u)}>
              <Avatar client={client} mxc={u.avatar_url} name={u.display_name || u.user_id} id={u.user_id} size={32} />
              <span className="user-names">
                <span>{u.display_name || u.user_id}</span>
                <span className="muted">{u.user_id}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function NewChatDialog({ client, onClose, onOpened }: { client: MatrixClient; onClose: () => void; onOpened: (roomId: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={t("newChat.title")} onClose={onClose}>
      <UserSearch
        client={client}
        label={(u) => t("newChat.start", { name: u.display_name || u.user_id })}
        onPick={async (u) => {
          if (busy) return;
          setBusy(true);
          try {
            onOpened(await openOrCreateDm(client, u.user_id));
          } catch (e) {
            setError(t("error.generic", { message: errorMessage(e) }));
          } finally {
            setBusy(false);
          }
        }}
      />
      {error && <p role="alert" className="error">{error}</p>}
    </Dialog>
  );
}

async function uploadAvatar(client: MatrixClient, file: File): Promise<string> {
  const max = await maxUploadBytes(client);
  if (max && file.size > max) throw new Error(t("upload.tooBig", { name: file.name, size: formatSize(file.size), max: formatSize(max) }));
  const res = await client.uploadContent(file, { name: file.name, type: file.type });
  return res.content_uri;
}

export function NewGroupDialog({ client, onClose, onOpened }: { client: MatrixClient; onClose: () => void; onOpened: (roomId: string) => void }) {
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [avatar, setAvatar] = useState<File | null>(null);
  const [members, setMembers] = useState<DirUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), topic: useId(), avatar: useId() };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t("newGroup.nameRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const avatarUrl = avatar ? await uploadAvatar(client, avatar) : undefined;
      const roomId = await createGroup(client, { name: name.trim(), topic: topic.trim(), invite: members.map((m) => m.user_id), avatarUrl });
      onOpened(roomId);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t("newGroup.title")} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <label htmlFor={ids.name}>{t("newGroup.name")}</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        <label htmlFor={ids.topic}>{t("newGroup.topic")}</label>
        <input id={ids.topic} value={topic} onChange={(e) => setTopic(e.target.value)} />
        <label htmlFor={ids.avatar}>{t("newGroup.avatar")}</label>
        <input id={ids.avatar} type="file" accept="image/*" onChange={(e) => setAvatar(e.target.files?.[0] ?? null)} />
        <fieldset>
          <legend>{t("newGroup.members")}</legend>
          {members.length > 0 && (
            <ul className="chips" aria-label={t("newGroup.selected")}>
              {members.map((m) => (
                <li key={m.user_id}>
                  {m.display_name || m.user_id}
                  <button type="button" className="btn icon small" aria-label={t("newGroup.remove", { name: m.display_name || m.user_id })} onClick={() => setMembers(members.filter((x) => x.user_id !== m.user_id))}>
                    <Icon name="close" size={16} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <UserSearch client={client} exclude={members.map((m) => m.user_id)} label={(u) => t("newGroup.add", { name: u.display_name || u.user_id })} onPick={(u) => setMembers([...members, u])} />
        </fieldset>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" className="btn primary" disabled={busy}>
          {t("newGroup.create")}
        </button>
      </form>
    </Dialog>
  );
}

function roleLabel(pl: number): string {
  return pl >= 100 ? t("role.admin") : pl >= 50 ? t("role.moderator") : t("role.member");
}

export function RoomSettingsDialog({ client, room, onClose, onLeft }: { client: MatrixClient; room: Room; onClose: () => void; onLeft: () => void }) {
  const me = client.getUserId()!;
  const state = room.currentState;
  const canName = mayDo(room, me, { state: EventType.RoomName });
  const canTopic = mayDo(room, me, { state: EventType.RoomTopic });
  const canAvatar = mayDo(room, me, { state: EventType.RoomAvatar });
  const myPl = powerLevel(room, me);
  const canInvite = mayDo(room, me, "invite");
  const canKick = mayDo(room, me, "kick");
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(state.getStateEvents(EventType.RoomTopic, "")?.getContent().topic ?? "");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { name: useId(), topic: useId(), avatar: useId() };
  const members = room
    .getMembers()
    .filter((m) => m.membership === KnownMembership.Join || m.membership === KnownMembership.Invite)
    .map((m) => ({ m, pl: powerLevel(room, m.userId) }))
    .sort((a, b) => (b.pl === a.pl ? a.m.name.localeCompare(b.m.name) : b.pl > a.pl ? 1 : -1));

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setStatus(null);
    try {
      await fn();
      if (done) setStatus(done);
    } catch (e: any) {
      setError(e?.errcode === "M_FORBIDDEN" ? t("settings.noPermission") : t("error.generic", { message: errorMessage(e) }));
    }
  };
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (canName && name.trim() && name.trim() !== room.name) await sendState(client, room.roomId, EventType.RoomName, { name: name.trim() });
      const oldTopic = state.getStateEvents(EventType.RoomTopic, "")?.getContent().topic ?? "";
      if (canTopic && topic !== oldTopic) await sendState(client, room.roomId, EventType.RoomTopic, { topic });
    }, t("settings.saved"));
  };
  return (
    <Dialog title={t("settings.title")} onClose={onClose}>
      <form className="form" onSubmit={save}>
        <label htmlFor={ids.name}>{t("settings.name")}</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} disabled={!canName} />
        <label htmlFor={ids.topic}>{t("settings.topic")}</label>
        <textarea id={ids.topic} value={topic} onChange={(e) => setTopic(e.target.value)} disabled={!canTopic} rows={2} />
        <label htmlFor={ids.avatar}>{t("settings.avatar")}</label>
        <input
          id={ids.avatar}
          type="file"
          accept="image/*"
          disabled={!canAvatar}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void run(async () => sendState(client, room.roomId, EventType.RoomAvatar, { url: await uploadAvatar(client, f) }), t("settings.saved"));
          }}
        />
        <button type="submit" className="btn primary" disabled={!canName && !canTopic}>
          {t("settings.save")}
        </button>
      </form>
      <div role="status" className="hint">{status}</div>
      {error && <p role="alert" className="error">{error}</p>}

      <h3>{t("settings.members")}</h3>
      <ul className="member-list">
        {members.map(({ m, pl }) => (
          <li key={m.userId}>
            <Avatar client={client} mxc={m.getMxcAvatarUrl()} name={m.name} id={m.userId} size={32} />
            <span className="user-names">
              <span>{m.name}</span>
              <span className="muted">
                {m.userId} · {roleLabel(pl)}
                {m.membership === KnownMembership.Invite ? ` · ${t("role.invited")}` : ""}
              </span>
            </span>
            {m.userId !== me && canKick && myPl > pl && (
              <button
                type="button"
                className="btn small danger"
                aria-label={t("settings.remove", { name: m.name })}
                onClick={() => window.confirm(t("settings.confirmRemove", { name: m.name })) && void run(() => client.kick(room.roomId, m.userId))}
              >
                {t("settings.removeButton")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canInvite && (
        <>
          <h3>{t("settings.invite")}</h3>
          <UserSearch
            client={client}
            exclude={members.map(({ m }) => m.userId)}
            label={(u) => `${t("settings.inviteButton")}: ${u.display_name || u.user_id}`}
            onPick={(u) => void run(() => client.invite(room.roomId, u.user_id))}
          />
        </>
      )}
      <div className="dialog-foot">
        <button
          type="button"
          className="btn danger"
          onClick={() =>
            window.confirm(t("settings.confirmLeave")) &&
            void run(async () => {
              await leaveRoom(client, room);
              onLeft();
            })
          }
        >
          {t("settings.leave")}
        </button>
      </div>
    </Dialog>
  );
}

export function ProfileDialog({ client, onClose }: { client: MatrixClient; onClose: () => void }) {
  const me = client.getUserId()!;
  const user = client.getUser(me);
  const [name, setName] = useState(user?.displayName ?? "");
  const [avatar, setAvatar] = useState<string | undefined>(user?.avatarUrl);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { name: useId(), avatar: useId() };
  useEffect(() => {
    client
      .getProfileInfo(me)
      .then((p) => {
        if (p.displayname) setName(p.displayname);
        setAvatar(p.avatar_url);
      })
      .catch(() => undefined);
  }, [client, me]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setStatus(null);
    try {
      await fn();
      setStatus(t("settings.saved"));
    } catch (e) {
      setError(t("error.generic", { message: errorMessage(e) }));
    }
  };
  return (
    <Dialog title={t("profile.title")} onClose={onClose}>
      <div className="profile-head">
        <Avatar client={client} mxc={avatar} name={name || me} id={me} size={72} />
        <p>
          <span className="muted">{t("profile.userId")}: </span>
          {me}
        </p>
      </div>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => client.setDisplayName(name.trim()));
        }}
      >
        <label htmlFor={ids.name}>{t("profile.displayName")}</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor={ids.avatar}>{t("profile.avatar")}</label>
        <input
          id={ids.avatar}
          type="file"
          accept="image/*"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f)
              void run(async () => {
                const url = await uploadAvatar(client, f);
                await client.setAvatarUrl(url);
                setAvatar(url);
              });
          }}
        />
        <button type="submit" className="btn primary">
          {t("settings.save")}
        </button>
      </form>
      <div role="status" className="hint">{status}</div>
      {error && <p role="alert" className="error">{error}</p>}
    </Dialog>
  );
}
