import { useId, useState } from "react";
import { formatDateTime, t } from "../../i18n";
import { inviteLink, type RegistrationToken } from "../../lib/adminApi";
import { ConfirmDialog, CopyButton, LoadState, OutcomeText, useAction, useAdmin, useLoad } from "./common";
import { QrCode } from "./QrCode";

/** Invite links backed by registration tokens: create (uses, expiry), list, show link + QR, revoke. */
export function InvitesPage() {
  const { api, origin } = useAdmin();
  const tokens = useLoad(() => api.listTokens(), [api]);
  const [uses, setUses] = useState("1");
  const [days, setDays] = useState("7");
  const [shown, setShown] = useState<string | null>(null);
  const [revoke, setRevoke] = useState<string | null>(null);
  const action = useAction();
  const id = useId();

  const create = (e: React.FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const n = parseInt(uses, 10);
      const d = parseFloat(days);
      const tok = await api.createToken({ uses_allowed: n > 0 ? n : null, expiry_time: d > 0 ? Date.now() + d * 86_400_000 : null });
      setShown(tok.token);
      tokens.reload();
      return t("invites.created");
    });
  };
  const state = (tk: RegistrationToken) => {
    if (tk.expiry_time && tk.expiry_time < Date.now()) return t("invites.expired");
    if (tk.uses_allowed !== null && tk.completed >= tk.uses_allowed) return t("invites.usedUp");
    return tk.expiry_time ? formatDateTime(tk.expiry_time) : t("admin.never");
  };
  return (
    <>
      <p>{t("invites.intro")}</p>
      <form className="form admin-box" onSubmit={create} aria-label={t("invites.create")}>
        <label htmlFor={`${id}-u`}>{t("invites.uses")}</label>
        <input id={`${id}-u`} type="number" min={0} value={uses} onChange={(e) => setUses(e.target.value)} aria-describedby={`${id}-uh`} />
        <span className="hint" id={`${id}-uh`}>
          0 = {t("invites.unlimited")}
        </span>
        <label htmlFor={`${id}-d`}>{t("invites.days")}</label>
        <input id={`${id}-d`} type="number" min={0} step="any" value={days} onChange={(e) => setDays(e.target.value)} aria-describedby={`${id}-dh`} />
        <span className="hint" id={`${id}-dh`}>
          0 = {t("invites.unlimited")}
        </span>
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy}>
          {t("invites.create")}
        </button>
      </form>
      {shown && <InviteLinkBox link={inviteLink(origin, shown)} />}
      <h3>{t("invites.list")}</h3>
      <LoadState loading={tokens.loading} error={tokens.error} />
      {tokens.data && tokens.data.registration_tokens.length === 0 && <p>{t("invites.none")}</p>}
      {tokens.data && tokens.data.registration_tokens.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t("invites.colToken")}</th>
              <th scope="col">{t("invites.colUsed")}</th>
              <th scope="col">{t("invites.colExpires")}</th>
              <th scope="col">{t("devices.colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.registration_tokens.map((tk) => (
              <tr key={tk.token}>
                <th scope="row">
                  <code>{tk.token}</code>
                </th>
                <td>{t("invites.usedOf", { used: tk.completed, allowed: tk.uses_allowed ?? t("invites.unlimited") })}</td>
                <td>{state(tk)}</td>
                <td className="admin-row-actions">
                  <button type="button" className="btn small" onClick={() => setShown(tk.token)} aria-label={`${t("invites.show")}: ${tk.token}`}>
                    {t("invites.show")}
                  </button>
                  <button type="button" className="btn small danger" onClick={() => setRevoke(tk.token)} aria-label={`${t("invites.revoke")}: ${tk.token}`}>
                    {t("invites.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke && (
        <ConfirmDialog
          title={t("invites.revoke")}
          text={t("invites.revokeConfirm", { token: revoke })}
          confirmLabel={t("invites.revoke")}
          danger
          onClose={() => setRevoke(null)}
          onConfirm={async () => {
            await api.deleteToken(revoke);
            if (shown === revoke) setShown(null);
            tokens.reload();
          }}
        />
      )}
    </>
  );
}

function InviteLinkBox({ link }: { link: string }) {
  const id = useId();
  return (
    <section className="admin-box invite-link" aria-labelledby={id}>
      <h3 id={id}>{t("invites.link")}</h3>
      <p>
        <input className="invite-url" readOnly value={link} aria-label={t("invites.link")} onFocus={(e) => e.target.select()} /> <CopyButton text={link} />
      </p>
      <QrCode text={link} label={t("invites.qr")} />
    </section>
  );
}
