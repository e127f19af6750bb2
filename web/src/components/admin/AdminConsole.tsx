import { useEffect, useMemo, useRef } from "react";
import { t } from "../../i18n";
import { AdminApi } from "../../lib/adminApi";
import { ADMIN_TABS as TABS, parseAdminHash } from "../../lib/adminRoutes";
import { AdminContext, LoadState, useLoad } from "./common";
import { UsersPage } from "./UsersPage";
import { UserDetail } from "./UserDetail";
import { RoomsPage, RoomDetail } from "./RoomsPage";
import { InvitesPage } from "./InvitesPage";
import { AuditPage } from "./AuditPage";
import { StatusPage } from "./StatusPage";
import { IntegrationsPage } from "./IntegrationsPage";
import { NoticesPage } from "./NoticesPage";

/** The IT admin's console (only rendered for server admins). Pages are addressed by the URL hash. */
export function AdminConsole({ baseUrl, accessToken, me, hash }: { baseUrl: string; accessToken: string; me: string; hash: string }) {
  const api = useMemo(() => new AdminApi(baseUrl, accessToken), [baseUrl, accessToken]);
  const status = useLoad(() => api.status(), [api]);
  const { tab, id } = parseAdminHash(hash);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${t(`admin.tab.${tab}`)} – ${t("admin.title")} – ${t("app.name")}`;
    // Move focus to the page heading on navigation so screen readers announce the new page.
    heading.current?.focus();
  }, [tab, id]);

  const origin = window.location.origin;
  const ctx = status.data ? { api, serverName: status.data.server_name, me, origin } : null;
  return (
    <div className="admin">
      {/* The hash is the route here, so the skip link moves focus itself instead of changing the hash. */}
      <a
        href="#admin-main"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("admin-main")?.focus();
        }}
      >
        {t("app.skip")}
      </a>
      <header className="admin-header">
        <h1>{t("admin.title")}</h1>
        <a href="#/" className="btn">
          {t("admin.back")}
        </a>
      </header>
      <nav className="admin-nav" aria-label={t("admin.nav")}>
        <ul>
          {TABS.map((k) => (
            <li key={k}>
              <a href={`#/admin/${k}`} aria-current={k === tab ? "page" : undefined}>
                {t(`admin.tab.${k}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="admin-main" id="admin-main" tabIndex={-1}>
        <h2 ref={heading} tabIndex={-1}>
          {t(`admin.tab.${tab}`)}
        </h2>
        {!ctx ? (
          <LoadState loading={status.loading} error={status.error} />
        ) : (
          <AdminContext.Provider value={ctx}>
            {tab === "users" && (id ? <UserDetail key={id} userId={id} /> : <UsersPage />)}
            {tab === "rooms" && (id ? <RoomDetail key={id} roomId={id} /> : <RoomsPage />)}
            {tab === "invites" && <InvitesPage />}
            {tab === "notices" && <NoticesPage />}
            {tab === "audit" && <AuditPage />}
            {tab === "integrations" && <IntegrationsPage />}
            {tab === "status" && <StatusPage status={status.data!} reload={status.reload} />}
          </AdminContext.Provider>
        )}
      </main>
    </div>
  );
}
