'use strict';
// scripts/build.ts: @actions/http-client is not in this bundle (only core.getIDToken would use it).
class HttpClient {
  constructor() {
    throw new Error('@actions/http-client is not bundled with this action (mlops-actions never calls core.getIDToken)');
  }
}
module.exports = { HttpClient };
