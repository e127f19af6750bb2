import { useId, useState } from "react";
import { t } from "../../i18n";
import { AdminError, ruleTrigger, type Bot, type CreatedRule, type IssuedToken, type NewRule, type OutgoingRule, type RuleKind, type Webhook } from "../../lib/adminApi";
import { adminErrorText, ConfirmDialog, CopyButton, LoadState, OutcomeText, useAction, useAdmin, useLoad, when } from "./common";

/**
 * Incoming webhooks, outgoing rules and bot accounts (Amtsbote admin APIs, docs/webhooks.md). Secrets are shown
 * once, right after creation.
 */
export function IntegrationsPage() {
  return (
    <>
      <Webhooks />
      <Rules />
      <Bots />
    </>
  );
}

/** An input the console refuses before asking the server; its message is already the text to show. */
class InputError extends Error {}
/**
 * Creating a hook or rule fails mostly for reasons an admin can fix; those get a specific text instead of the
 * general one (whose M_USER_IN_USE text, for instance, speaks of creating accounts).
 */
function integrationErrorText(e: unknown): string {
  if (e instanceof InputError) return e.message;
  if (e instanceof AdminError) {
    if (e.errcode === "M_USER_IN_USE") return t("integrations.errBotIsPerson");
    if (e.errcode === "M_NOT_FOUND") return t("integrations.errRoom");
    if (e.errcode === "M_FORBIDDEN") return t("integrations.errJoin", { message: e.message });
  }
  return adminErrorText(e);
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
        aria-label={t("hooks.create")}
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            setCreated(await api.createWebhook(form));
            hooks.reload();
          }, integrationErrorText);
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

const emptyRule: NewRule = { room_id: "", name: "", kind: "command", trigger: "", url: "", bot_user: "" };
const MAX_COMMAND_LENGTH = 50; // as the server checks (OutgoingRules)

/** The command as the server accepts it (one word, at most 50 characters), checked first to explain it in plain words. */
function checkRule(r: NewRule): NewRule {
  const trimmed = { ...r, room_id: r.room_id.trim(), name: r.name.trim(), url: r.url.trim(), bot_user: r.bot_user.trim() };
  if (r.kind === "command") {
    const c = r.trigger.trim();
    if (!c || /\s/.test(c) || [...c].length > MAX_COMMAND_LENGTH) throw new InputError(t("rules.errCommand"));
    return { ...trimmed, trigger: c };
  }
  return trimmed;
}

/** Outgoing rules: messages of a room that match go to another system, whose answer the bot posts back. */
function Rules() {
  const { api } = useAdmin();
  const rules = useLoad(() => api.listRules(), [api]);
  const [form, setForm] = useState<NewRule>(emptyRule);
  const [created, setCreated] = useState<CreatedRule | null>(null);
  const [del, setDel] = useState<OutgoingRule | null>(null);
  const action = useAction();
  const id = useId();
  const field = (k: "name" | "room_id" | "url" | "bot_user", label: string, help?: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <>
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input id={`${id}-${k}`} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} required autoComplete="off" aria-describedby={help ? `${id}-${k}-h` : undefined} {...extra} />
      {help && (
        <span className="hint" id={`${id}-${k}-h`}>
          {help}
        </span>
      )}
    </>
  );
  const kind = (k: RuleKind, label: string, help: string) => (
    <>
      <label className="check">
        <input type="radio" name={`${id}-kind`} value={k} checked={form.kind === k} onChange={() => setForm({ ...form, kind: k })} aria-describedby={`${id}-${k}-h`} /> {label}
      </label>
      <span className="hint" id={`${id}-${k}-h`}>
        {help}
      </span>
    </>
  );
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t("rules.title")}</h3>
      <p>{t("rules.intro")}</p>
      <form
        className="form admin-box"
        aria-label={t("rules.create")}
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            setCreated(null);
            setCreated(await api.createRule(checkRule(form)));
            setForm(emptyRule);
            rules.reload();
          }, integrationErrorText);
        }}
      >
        {field("name", t("rules.name"), t("rules.nameHelp"))}
        {field("room_id", t("rules.room"), t("rules.roomHelp"))}
        <fieldset>
          <legend>{t("rules.kind")}</legend>
          {kind("command", t("rules.kindCommand"), t("rules.kindCommandHelp"))}
          {kind("pattern", t("rules.kindPattern"), t("rules.kindPatternHelp"))}
        </fieldset>
        <label htmlFor={`${id}-trigger`}>{form.kind === "command" ? t("rules.command") : t("rules.pattern")}</label>
        <input
          id={`${id}-trigger`}
          value={form.trigger}
          onChange={(e) => setForm({ ...form, trigger: e.target.value })}
          required
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={form.kind === "command" ? 100 : 500}
          placeholder={form.kind === "command" ? "!ticket" : "(?i)störung in (\\w+)"}
        />
        {field("url", t("rules.url"), t("rules.urlHelp"), { type: "url", placeholder: "https://tickets.example.org/amtsbote", spellCheck: false })}
        {field("bot_user", t("rules.bot"), t("rules.botHelp"), { autoCapitalize: "none" })}
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy}>
          {t("rules.create")}
        </button>
      </form>
      {created && <Secret intro={t("rules.secret", { name: created.name })} value={created.secret} />}
      <LoadState loading={rules.loading} error={rules.error} />
      {rules.data && rules.data.rules.length === 0 && <p>{t("rules.none")}</p>}
      {rules.data && rules.data.rules.length > 0 && (
        <table className="admin-table">
          <caption className="sr-only">{t("rules.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("rules.name")}</th>
              <th scope="col">{t("rules.colRoom")}</th>
              <th scope="col">{t("rules.kind")}</th>
              <th scope="col">{t("rules.colTrigger")}</th>
              <th scope="col">{t("rules.colUrl")}</th>
              <th scope="col">{t("rules.colBot")}</th>
              <th scope="col">{t("rules.colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {rules.data.rules.map((r) => (
              <tr key={r.id} data-rule={r.id}>
                <th scope="row">{r.name}</th>
                <td className="admin-details">{r.room_id}</td>
                <td>{r.kind === "command" ? t("rules.kindCommand") : t("rules.kindPattern")}</td>
                <td className="admin-details">
                  <code>{ruleTrigger(r)}</code>
                </td>
                <td className="admin-details">{r.url}</td>
                <td className="admin-details">{r.bot_user}</td>
                <td>
                  <button type="button" className="btn small danger" onClick={() => setDel(r)} aria-label={`${t("rules.delete")}: ${r.name}`}>
                    {t("rules.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {del && (
        <ConfirmDialog
          title={t("rules.delete")}
          text={t("rules.deleteConfirm", { name: del.name, url: del.url })}
          confirmLabel={t("rules.delete")}
          danger
          onClose={() => setDel(null)}
          onConfirm={async () => {
            await api.deleteRule(del.id);
            if (created?.id === del.id) setCreated(null);
            rules.reload();
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
