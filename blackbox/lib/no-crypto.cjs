// Stand-in for @matrix-org/matrix-sdk-crypto-nodejs, which matrix-bot-sdk loads at import time. Its native
// library is downloaded from GitHub by a postinstall script, which this project does not run (.npmrc
// ignore-scripts): the appservice test uses no encryption, and any use of this module fails loudly.
"use strict";
module.exports = new Proxy({}, {
    get(_target, name) {
        if (name === "__esModule" || typeof name === "symbol") return undefined;
        return function unavailable() {
            throw new Error(`matrix-sdk-crypto-nodejs.${String(name)} is not available in the black-box suite`);
        };
    },
});
