// HTTP CONNECT proxies for channels: which proxy (option or environment) and the tunnel through it.
export { type ProxyEndpoint } from "./proxy-url.js";
export { type ProxyOption, selectProxy } from "./select-proxy.js";
export { openTunnel, ProxyError, secureTunnel } from "./tunnel.js";
