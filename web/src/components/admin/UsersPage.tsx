import { useEffect, useId, useState } from "react";
import { t } from "../../i18n";
import { adminHref } from "../../lib/adminRoutes";
import { toUserId, type UserSummary } from "../../lib/adminApi";
import { LoadState, OutcomeText, useAction, useAdmin, useLoad, when } from "./common";

export function userState(u: UserSummary): string {
  if (u.deactivated) return t("users.deactivated");
  const parts = [u.locked ? t("users.locked") : t("users.active")];
  if (u.admin) parts.push(t("users.admin"));
  return parts.join(", ");
}

export const userHref = (userId: string) => adminHref("users", userId);

/** Account list with search, and the form for a new account. */
export function UsersPage() {
  const { api } = useAdmin();
  const [term, setTerm] = useState("");
  const [search, setSearch] = useState("");
  const [extra, setExtra] = useState<UserSummary[]>([]);
  const [next, setNext] = useState<string | number | undefined>();
  const list = useLoad(() => api.listUsers({ name: search || undefined }), [api, search]);
  const searchId = useId();
  useEffect(() => {
    const timer = setTimeout(() => setSearch(term.trim()), 300);
    return () => clearTimeout(timer);
  }, [term]);
  useEffect(() => {
    setExtra([]);
    setNext(list.data?.next_token);
  }, [list.data]);
  const more = async () => {
    const page = await api.listUsers({ name: search || undefined, from: String(next) });
    setExtra((x) => [...x, ...page.users]);
    setNext(page.next_token);
  };
  const users = [...(list.data?.users ?? []), ...extra];
  return (
    <>
      <CreateUser onCreated={list.reload} />
      <section aria-labelledby={`${searchId}-h`}>
        <h3 id={`${searchId}-h`}>{list.data ? t("users.count", { count: list.data.total }) : t("admin.tab.users")}</h3>
        <label htmlFor={searchId}>{t("users.search")}</label>
        <input id={searchId} type="search" value={term} onChange={(e) => setTerm(e.target.value)} autoComplete="off" />
        <LoadState loading={list.loading} error={list.error} />
        {list.data && users.length === 0 && <p>{t("users.none")}</p>}
        {users.length > 0 && (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("users.colUser")}</th>
                <th scope="col">{t("users.colName")}</th>
                <th scope="col">{t("users.colState")}</th>
                <th scope="col">{t("users.colSeen")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.name}>
                  <th scope="row">
                    <a href={userHref(u.name)}>{u.name}</a>
                  </th>
                  <td>{u.displayname ?? ""}</td>
                  <td>{userState(u)}</td>
                  <td>{when(u.last_seen_ts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next !== undefined && next !== null && (
          <button type="button" className="btn" onClick={() => void more()}>
            {t("admin.more")}
          </button>
        )}
      </section>
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { api, serverName } = useAdmin();
  const [username, setUsername] = useState("");
  const [displayname, setDisplayname] = useState("");
  const [password, setPassword] = useState("");
  const [admin, setAdmin] = useState(false);
  const action = useAction();
  const id = useId();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const userId = toUserId(username, serverName);
    const ok = await action.run(async () => {
      // PUT creates the account; refuse to silently modify an existing one.
      const exists = await api.getUser(userId).then(
        () => true,
        () => false,
      );
      if (exists) throw new Error(t("users.exists"));
      await api.putUser(userId, { password, displayname: displayname.trim() || undefined, admin });
      return t("users.created", { user: userId });
    });
    if (ok) {
      setUsername("");
      setDisplayname("");
      setPassword("");
      setAdmin(false);
      onCreated();
    }
  };
  return (
    <details className="admin-box">
      <summary>{t("users.create")}</summary>
      <form className="form" onSubmit={submit} aria-label={t("users.create")}>
        <label htmlFor={`${id}-u`}>{t("users.username")}</label>
        <input id={`${id}-u`} value={username} onChange={(e) => setUsername(e.target.value)} required autoCapitalize="none" autoComplete="off" />
        <label htmlFor={`${id}-d`}>{t("users.displayname")}</label>
        <input id={`${id}-d`} value={displayname} onChange={(e) => setDisplayname(e.target.value)} autoComplete="off" />
        <label htmlFor={`${id}-p`}>{t("users.password")}</label>
        <input id={`${id}-p`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        <label className="check">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> {t("users.makeAdmin")}
        </label>
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy}>
          {t("users.create")}
        </button>
      </form>
    </details>
  );
}
