import { useId, useState } from "react";
import { t } from "../../i18n";
import type { Bot, IssuedToken, Webhook } from "../../lib/adminApi";
import { ConfirmDialog, CopyButton, LoadState, OutcomeText, useAction, useAdmin, useLoad, when } from "./common";

/** Incoming webhooks and bot accounts (existing Amtsbote admin APIs). Secrets are shown once, right after creation. */
export function IntegrationsPage() {
  return (
    <>
      <Webhooks />
      <Bots />
    </>
  );
}

function Secret({ intro, value }: { intro: string; value: string }) {
  return (
    <div className="admin-secret" role="status">
      <p>{intro}</p>
      <code>{value}</code> <CopyButton text={value} />
    </div>
  );
}

function Webhooks() {
  const { api } = useAdmin();
  const hooks = useLoad(() => api.listWebhooks(), [api]);
  const [form, setForm] = useState({ name: "", room_id: "", format: "generic", bot_user: "" });
  const [created, setCreated] = useState<Webhook | null>(null);
  const [del, setDel] = useState<Webhook | null>(null);
  const action = useAction();
  const id = useId();
  const input = (k: "name" | "room_id" | "bot_user", label: string) => (
    <>
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input id={`${id}-${k}`} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} required autoComplete="off" />
    </>
  );
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t("hooks.title")}</h3>
      <form
        className="form admin-box"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            setCreated(await api.createWebhook(form));
            hooks.reload();
          });
        }}
      >
        {input("name", t("hooks.name"))}
        {input("room_id", t("hooks.room"))}
        <label htmlFor={`${id}-format`}>{t("hooks.format")}</label>
        <select id={`${id}-format`} value={form.format} onChange={(e) => setForm({ ...form, format: e.target.value })}>
          <option value="generic">generic</option>
          <option value="prtg">PRTG</option>
          <option value="alertmanager">Alertmanager</option>
        </select>
        {input("bot_user", t("hooks.bot"))}
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy}>
          {t("hooks.create")}
        </button>
      </form>
      {created?.url && <Secret intro={t("hooks.url")} value={created.url} />}
      <LoadState loading={hooks.loading} error={hooks.error} />
      {hooks.data && hooks.data.webhooks.length === 0 && <p>{t("hooks.none")}</p>}
      {hooks.data && hooks.data.webhooks.length > 0 && (
        <ul className="admin-list">
          {hooks.data.webhooks.map((h) => (
            <li key={h.id}>
              <strong>{h.name}</strong> ({h.format}) → {h.room_id}, {h.bot_user}, {when(h.created_ts)}{" "}
              <button type="button" className="btn small danger" onClick={() => setDel(h)} aria-label={`${t("hooks.delete")}: ${h.name}`}>
                {t("hooks.delete")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {del && (
        <ConfirmDialog
          title={t("hooks.delete")}
          text={t("hooks.deleteConfirm", { name: del.name })}
          confirmLabel={t("hooks.delete")}
          danger
          onClose={() => setDel(null)}
          onConfirm={async () => {
            await api.deleteWebhook(del.id);
            hooks.reload();
          }}
        />
      )}
    </section>
  );
}

function Bots() {
  const { api } = useAdmin();
  const bots = useLoad(() => api.listBots(), [api]);
  const [form, setForm] = useState({ username: "", displayname: "" });
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [revoke, setRevoke] = useState<{ bot: Bot; deviceId: string; name: string } | null>(null);
  const action = useAction();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t("bots.title")}</h3>
      <form
        className="form admin-box"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            setIssued(await api.createBot({ username: form.username.trim(), displayname: form.displayname.trim() || undefined }));
            setForm({ username: "", displayname: "" });
            bots.reload();
          });
        }}
      >
        <label htmlFor={`${id}-u`}>{t("bots.username")}</label>
        <input id={`${id}-u`} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required autoComplete="off" autoCapitalize="none" />
        <label htmlFor={`${id}-d`}>{t("bots.displayname")}</label>
        <input id={`${id}-d`} value={form.displayname} onChange={(e) => setForm({ ...form, displayname: e.target.value })} autoComplete="off" />
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy}>
          {t("bots.create")}
        </button>
      </form>
      {issued && <Secret intro={`${t("bots.token")} (${issued.user_id})`} value={issued.access_token} />}
      <LoadState loading={bots.loading} error={bots.error} />
      {bots.data && bots.data.bots.length === 0 && <p>{t("bots.none")}</p>}
      {bots.data?.bots.map((b) => (
        <div key={b.user_id} className="admin-box">
          <h4>
            {b.displayname ? `${b.displayname} (${b.user_id})` : b.user_id}
          </h4>
          <p>{t("bots.tokens")}:</p>
          <ul className="admin-list">
            {b.tokens.map((tk) => (
              <li key={tk.device_id}>
                {tk.name || tk.device_id} – {t("users.colSeen")}: {when(tk.last_seen_ts)}{" "}
                <button type="button" className="btn small danger" onClick={() => setRevoke({ bot: b, deviceId: tk.device_id, name: tk.name || tk.device_id })} aria-label={`${t("bots.revoke")}: ${tk.name || tk.device_id}`}>
                  {t("bots.revoke")}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn small" onClick={() => void action.run(async () => (setIssued(await api.issueBotToken(b.user_id)), bots.reload()))}>
            {t("bots.issue")}
          </button>
        </div>
      ))}
      {revoke && (
        <ConfirmDialog
          title={t("bots.revoke")}
          text={t("bots.revokeConfirm", { name: revoke.name, bot: revoke.bot.user_id })}
          confirmLabel={t("bots.revoke")}
          danger
          onClose={() => setRevoke(null)}
          onConfirm={async () => {
            await api.revokeBotToken(revoke.bot.user_id, revoke.deviceId);
            bots.reload();
          }}
        />
      )}
    </section>
  );
}
