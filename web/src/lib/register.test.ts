import { describe, expect, it } from "vitest";
import { RegisterError, registerWithToken, tokenValid } from "./register";

type Answer = { status: number; body: unknown };
/** A fake /register that records the request bodies and answers from a script. */
function fakeServer(answers: Answer[]) {
  const bodies: any[] = [];
  const urls: string[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    urls.push(url);
    bodies.push(init?.body ? JSON.parse(String(init.body)) : null);
    const a = answers.shift()!;
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { "Content-Type": "application/json" } });
  };
  return { fetchFn, bodies, urls };
}
const flows = { session: "S1", flows: [{ stages: ["m.login.registration_token"] }], params: {} };
const req = { username: " anna ", password: "secret-pw-123", token: "T0K", deviceName: "Amtsbote Web" };

describe("registerWithToken", () => {
  it("gets the session, then completes the token stage with token and session", async () => {
    const s = fakeServer([
      { status: 401, body: flows },
      { status: 200, body: { user_id: "@anna:x", access_token: "at", device_id: "D" } },
    ]);
    const r = await registerWithToken("http://hs", req, s.fetchFn);
    expect(r).toEqual({ user_id: "@anna:x", access_token: "at", device_id: "D" });
    expect(s.urls[0]).toBe("http://hs/_matrix/client/v3/register?kind=user");
    expect(s.bodies[0].auth).toBeUndefined();
    expect(s.bodies[0].username).toBe("anna");
    expect(s.bodies[1].auth).toEqual({ type: "m.login.registration_token", token: "T0K", session: "S1" });
    expect(s.bodies[1].password).toBe("secret-pw-123");
  });
  it("also completes a dummy stage after the token", async () => {
    const s = fakeServer([
      { status: 401, body: { session: "S", flows: [{ stages: ["m.login.registration_token", "m.login.dummy"] }] } },
      { status: 401, body: { session: "S", completed: ["m.login.registration_token"] } },
      { status: 200, body: { user_id: "@anna:x", access_token: "at", device_id: "D" } },
    ]);
    await registerWithToken("http://hs", req, s.fetchFn);
    expect(s.bodies[2].auth).toEqual({ type: "m.login.dummy", session: "S" });
  });
  it("reports a taken username, a weak password, a rejected token and a server without token flow", async () => {
    const fail = async (answers: Answer[]) => {
      try {
        await registerWithToken("http://hs", req, fakeServer(answers).fetchFn);
      } catch (e) {
        return (e as RegisterError).failure;
      }
      throw new Error("no error");
    };
    expect(await fail([{ status: 400, body: { errcode: "M_USER_IN_USE", error: "taken" } }])).toEqual({ kind: "taken" });
    expect(await fail([{ status: 401, body: flows }, { status: 400, body: { errcode: "M_WEAK_PASSWORD", error: "too short" } }])).toEqual({ kind: "weakPassword", message: "too short" });
    expect(await fail([{ status: 401, body: flows }, { status: 401, body: { ...flows, errcode: "M_FORBIDDEN", error: "bad token" } }])).toEqual({ kind: "tokenRejected" });
    expect(await fail([{ status: 401, body: { session: "S", flows: [{ stages: ["m.login.email.identity"] }] } }])).toEqual({ kind: "unsupported" });
    expect(await fail([{ status: 403, body: { errcode: "M_FORBIDDEN", error: "Registration is disabled" } }])).toEqual({ kind: "other", message: "Registration is disabled" });
  });
});

describe("tokenValid", () => {
  it("asks the validity endpoint and reads 'valid'", async () => {
    const s = fakeServer([{ status: 200, body: { valid: true } }, { status: 200, body: { valid: false } }, { status: 403, body: { errcode: "M_FORBIDDEN" } }]);
    expect(await tokenValid("http://hs", "a b", s.fetchFn)).toBe(true);
    expect(s.urls[0]).toBe("http://hs/_matrix/client/v1/register/m.login.registration_token/validity?token=a%20b");
    expect(await tokenValid("http://hs", "x", s.fetchFn)).toBe(false);
    expect(await tokenValid("http://hs", "x", s.fetchFn)).toBe(false);
  });
});
