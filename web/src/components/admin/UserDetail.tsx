import { useId, useState } from "react";
import { t } from "../../i18n";
import { ConfirmDialog, LoadState, OutcomeText, useAction, useAdmin, useLoad, when, yesNo } from "./common";
import { userState } from "./UsersPage";
import { DevicesPanel } from "./DevicesPanel";

type Confirm = "admin" | "lock" | "deactivate" | null;

/** One account: details, display name, password, admin rights, lock, deactivation, devices. */
export function UserDetail({ userId }: { userId: string }) {
  const { api, me } = useAdmin();
  const user = useLoad(() => api.getUser(userId), [api, userId]);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [erase, setErase] = useState(false);
  const action = useAction();
  const u = user.data;
  const done = (text: string) => async () => {
    user.reload();
    return text;
  };
  return (
    <>
      <p>
        <a href="#/admin/users">{t("user.backToList")}</a>
      </p>
      <h3>{u?.displayname ? `${u.displayname} (${userId})` : userId}</h3>
      <LoadState loading={user.loading} error={user.error} />
      {u && (
        <>
          {userId === me && <p className="hint">{t("user.self")}</p>}
          <dl className="admin-facts">
            <dt>{t("users.colState")}</dt>
            <dd data-testid="user-state">{userState(u)}</dd>
            <dt>{t("users.admin")}</dt>
            <dd>{yesNo(u.admin)}</dd>
            <dt>{t("user.created")}</dt>
            {/* Synapse reports creation_ts in seconds. */}
            <dd>{when(u.creation_ts ? (u.creation_ts < 1e11 ? u.creation_ts * 1000 : u.creation_ts) : null)}</dd>
            <dt>{t("users.colSeen")}</dt>
            <dd>{when(u.last_seen_ts)}</dd>
          </dl>
          <OutcomeText outcome={action.message} />
          {!u.deactivated && (
            <>
              <DisplayNameForm userId={userId} current={u.displayname ?? ""} onSaved={user.reload} />
              <PasswordForm userId={userId} />
              <div className="admin-actions">
                <button type="button" className="btn" onClick={() => setConfirm("admin")}>
                  {u.admin ? t("user.removeAdmin") : t("user.makeAdmin")}
                </button>
                <button type="button" className="btn danger" onClick={() => setConfirm("lock")}>
                  {u.locked ? t("user.unlock") : t("user.lock")}
                </button>
                <button type="button" className="btn danger" onClick={() => setConfirm("deactivate")}>
                  {t("user.deactivate")}
                </button>
              </div>
              <DevicesPanel userId={userId} />
            </>
          )}
        </>
      )}
      {u && confirm === "admin" && (
        <ConfirmDialog
          title={u.admin ? t("user.removeAdmin") : t("user.makeAdmin")}
          text={t(u.admin ? "user.removeAdminConfirm" : "user.makeAdminConfirm", { user: userId })}
          confirmLabel={u.admin ? t("user.removeAdmin") : t("user.makeAdmin")}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.putUser(userId, { admin: !u.admin });
            await action.run(done(t("admin.saved")));
          }}
        />
      )}
      {u && confirm === "lock" && (
        <ConfirmDialog
          title={u.locked ? t("user.unlock") : t("user.lock")}
          text={t(u.locked ? "user.unlockConfirm" : "user.lockConfirm", { user: userId })}
          confirmLabel={u.locked ? t("user.unlock") : t("user.lock")}
          danger={!u.locked}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.putUser(userId, { locked: !u.locked });
            await action.run(done(t("admin.saved")));
          }}
        />
      )}
      {u && confirm === "deactivate" && (
        <ConfirmDialog
          title={t("user.deactivate")}
          text={t("user.deactivateConfirm", { user: userId })}
          confirmLabel={t("user.deactivate")}
          danger
          word={userId.slice(1).split(":")[0]}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.deactivate(userId, erase);
            await action.run(done(t("user.deactivated")));
          }}
        >
          <label className="check">
            <input type="checkbox" checked={erase} onChange={(e) => setErase(e.target.checked)} /> {t("user.erase")}
          </label>
        </ConfirmDialog>
      )}
    </>
  );
}

function DisplayNameForm({ userId, current, onSaved }: { userId: string; current: string; onSaved: () => void }) {
  const { api } = useAdmin();
  const [name, setName] = useState(current);
  const action = useAction();
  const id = useId();
  return (
    <form
      className="form admin-box"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await api.putUser(userId, { displayname: name.trim() });
          onSaved();
          return t("admin.saved");
        });
      }}
    >
      <label htmlFor={id}>{t("user.displayname")}</label>
      <input id={id} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
      <OutcomeText outcome={action.message} />
      <button type="submit" className="btn" disabled={action.busy}>
        {t("admin.save")}
      </button>
    </form>
  );
}

function PasswordForm({ userId }: { userId: string }) {
  const { api } = useAdmin();
  const [password, setPassword] = useState("");
  const [logout, setLogout] = useState(true);
  const action = useAction();
  const id = useId();
  return (
    <details className="admin-box">
      <summary>{t("user.resetPassword")}</summary>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await api.resetPassword(userId, password, logout);
            setPassword("");
            return t("user.passwordReset");
          });
        }}
      >
        <label htmlFor={id}>{t("user.newPassword")}</label>
        <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        <label className="check">
          <input type="checkbox" checked={logout} onChange={(e) => setLogout(e.target.checked)} /> {t("user.logoutDevices")}
        </label>
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn" disabled={action.busy}>
          {t("user.resetPassword")}
        </button>
      </form>
    </details>
  );
}
