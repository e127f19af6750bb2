import { createRoot } from "react-dom/client";
import { App } from "./App";
import { pickLocale, setLocale } from "./i18n";
import "./styles.css";

setLocale(pickLocale(navigator.languages?.length ? navigator.languages : [navigator.language]));

createRoot(document.getElementById("root")!).render(<App />);

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  });
}
