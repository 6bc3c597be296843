/**
 * The browser script an account's `jsSdkUrl` points at: a stand-in for WeChat's jweixin + jwxwork inside the
 * WeCom client (wechat-api.md §5.12). `wx.config` and `wx.agentConfig` are checked by this emulator
 * (`POST /_emulator/jssdk/check`, the client's signature rules); `wx.invoke('getContext')` and
 * `wx.invoke('getCurExternalContact')` read the corp's current chat (`GET /_emulator/jssdk/context`), which the
 * control API sets. Callbacks carry WeChat's shapes: `errMsg` for config/agentConfig, `err_msg` for invoke.
 * Plain ES5-style JavaScript served as is (no build step on the emulator's side).
 */
export const SIMULATOR_SCRIPT = String.raw`(function () {
  'use strict';
  var me = document.currentScript;
  var base = new URL(me && me.src ? me.src : location.href).origin + '/_emulator/jssdk';
  var configState = 'none';
  var configError = null;
  var readyFns = [];
  var errorFns = [];
  var agent = null;

  function pageUrl() { return location.href.split('#')[0]; }
  function safe(fn, arg) {
    if (typeof fn !== 'function') return;
    try { fn(arg); } catch (e) { setTimeout(function () { throw e; }); }
  }
  function check(body) {
    // text/plain keeps this a simple cross-origin request (no preflight); the emulator answers with CORS.
    return fetch(base + '/check', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .catch(function () { return { ok: false, errcode: -1, errmsg: 'system error (emulator unreachable)' }; });
  }
  function context(corpid) {
    return fetch(base + '/context?corpId=' + encodeURIComponent(corpid)).then(function (r) { return r.json(); });
  }

  var wx = {
    config: function (o) {
      configState = 'pending';
      check({ kind: 'config', corpid: o.appId, url: pageUrl(), noncestr: o.nonceStr, timestamp: o.timestamp, signature: o.signature }).then(function (r) {
        if (r.ok) {
          configState = 'ok';
          readyFns.splice(0).forEach(function (f) { safe(f); });
        } else {
          configState = 'fail';
          configError = { errMsg: 'config:' + r.errmsg, errcode: r.errcode };
          errorFns.forEach(function (f) { safe(f, configError); });
        }
      });
    },
    ready: function (fn) { if (configState === 'ok') safe(fn); else readyFns.push(fn); },
    error: function (fn) { if (configState === 'fail') safe(fn, configError); else errorFns.push(fn); },
    agentConfig: function (o) {
      check({ kind: 'agentConfig', corpid: o.corpid, agentid: o.agentid, url: pageUrl(), noncestr: o.nonceStr, timestamp: o.timestamp, signature: o.signature }).then(function (r) {
        var res;
        if (r.ok) {
          agent = { corpid: o.corpid, apis: Array.isArray(o.jsApiList) ? o.jsApiList : [] };
          res = { errMsg: 'agentConfig:ok' };
          safe(o.success, res);
        } else {
          agent = null;
          res = { errMsg: 'agentConfig:fail ' + r.errmsg, errCode: r.errcode };
          safe(o.fail, res);
        }
        safe(o.complete, res);
      });
    },
    invoke: function (name, args, cb) {
      var done = function (res) { safe(cb, res); };
      if (!agent) return done({ err_msg: name + ':fail no permission (call wx.agentConfig first)' });
      if (agent.apis.indexOf(name) < 0) return done({ err_msg: name + ':fail no permission (not in jsApiList)' });
      if (name !== 'getContext' && name !== 'getCurExternalContact') return done({ err_msg: name + ':fail not supported by the emulator' });
      context(agent.corpid).then(function (c) {
        if (name === 'getContext') return done({ err_msg: 'getContext:ok', entry: c.entry });
        if (!c.externalUserId || (c.entry !== 'single_chat_tools' && c.entry !== 'contact_profile')) return done({ err_msg: 'getCurExternalContact:fail not in a customer chat' });
        done({ err_msg: 'getCurExternalContact:ok', userId: c.externalUserId });
      }, function () { done({ err_msg: name + ':fail system error' }); });
    },
  };
  window.wx = wx;
  window.jWeixin = wx;
})();
`;
