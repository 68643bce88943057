// The explorer's pages: routed in the browser (History API), data from the JSON API under /api, live blocks
// and node status from /api/events (server-sent events). Every value from the chain is escaped before it is shown.
(function () {
  'use strict';

  const { t, term } = window.I18n;
  const main = document.getElementById('main');
  const banner = document.getElementById('node-banner');
  const HEX64 = /^[0-9a-fA-F]{64}$/;

  // ---- HTML with escaping -------------------------------------------------------------------------------------
  class Raw { constructor(s) { this.s = s; } }
  const raw = (s) => new Raw(s);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  function render(v) {
    if (v instanceof Raw) return v.s;
    if (Array.isArray(v)) return v.map(render).join('');
    if (v === null || v === undefined || v === false) return '';
    return esc(v);
  }
  function html(strings, ...values) {
    let out = strings[0];
    values.forEach((v, i) => { out += render(v) + strings[i + 1]; });
    return raw(out);
  }
  function mount(content) {
    main.innerHTML = render(content);
  }

  // ---- formatting -------------------------------------------------------------------------------------------
  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString();
    return d.slice(0, 10) + ' ' + d.slice(11, 19) + ' (UTC+8)';
  }
  function ago(iso) {
    if (!iso) return '';
    const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    const zh = I18n.lang !== 'en';
    if (s < 60) return zh ? `${s} 秒前` : `${s} s ago`;
    if (s < 3600) return zh ? `${Math.floor(s / 60)} 分钟前` : `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return zh ? `${Math.floor(s / 3600)} 小时前` : `${Math.floor(s / 3600)} h ago`;
    return zh ? `${Math.floor(s / 86400)} 天前` : `${Math.floor(s / 86400)} d ago`;
  }
  function size(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MiB';
    if (n >= 1024) return (n / 1024).toFixed(1) + ' KiB';
    return n + ' B';
  }
  const short = (h) => (h && h.length > 20 ? h.slice(0, 10) + '…' + h.slice(-6) : h || '—');
  const hash = (h) => (h ? html`<code class="hash">${h}</code>` : '—');
  const shortHash = (h) => (h ? html`<code class="hash-short" title="${h}">${short(h)}</code>` : '—');
  const link = (href, content) => html`<a href="${href}" data-link>${content}</a>`;
  const txLink = (id) => link('/tx/' + id, shortHash(id));
  const blockLink = (height) => link('/block/' + height, '#' + height);
  const contractLink = (id) => (id ? link('/contract/' + encodeURIComponent(id), id) : '—');
  const kv = (rows) => html`<dl class="kv">${rows.filter(Boolean).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
  const badge = (kind, text) => html`<span class="badge badge-${kind}">${text}</span>`;
  // A validator as a clerk names it: the bureau that runs it, its short id beside.
  const validatorName = (v) => (v.bureau ? html`${v.bureau} <span class="muted small">${v.name || ''}</span>` : v.name || '—');
  // A 12-digit division code with its name (城市, and the district where known), the code beside.
  const place = (code) => {
    if (!code) return '—';
    const name = window.LedgerDivisions ? window.LedgerDivisions.name(code) : null;
    return name ? html`${name} <span class="muted small">${code}</span>` : code;
  };
  const actionBadge = (a) => badge('action', term('action', a));
  function statusBadge(s) {
    const kind = s === 'Effective' ? 'ok' : s === 'Dissolved' || s === 'Terminated' ? 'closed' : 'pending';
    return badge(kind, term('status', s));
  }

  function signerText(s) {
    if (s.role === 'Worker') return html`<span class="muted">${t('signer.workerHidden')}</span> ${shortHash(s.keyId)}`;
    return html`${s.subject || ''}${s.creditCode ? html` <span class="muted">${s.creditCode}</span>` : ''}`;
  }
  function signersTable(signers) {
    if (!signers || !signers.length) return html`<p class="muted">${t('common.none')}</p>`;
    return html`<table class="grid"><thead><tr><th>${t('signer.scope')}</th><th>${t('signer.role')}</th><th>${t('signer.subject')}</th><th>${t('signer.certificate')}</th></tr></thead><tbody>
      ${signers.map((s) => html`<tr><td class="nowrap">${term('scope', s.scope)}</td><td class="nowrap">${term('role', s.role)}</td><td>${signerText(s)}</td><td>${s.certificateId ? shortHash(s.certificateId) : html`<span class="muted">${t('signer.key')}</span> ${shortHash(s.keyId)}`}</td></tr>`)}
    </tbody></table>`;
  }
  function signersInline(signers) {
    const parties = (signers || []).filter((s) => s.scope === 'Statement');
    const list = parties.length ? parties : signers || [];
    return list.map((s, i) => html`${i ? '；' : ''}${term('role', s.role)}${s.role !== 'Worker' && s.subject ? html` ${s.subject}` : ''}`);
  }
  function termsRows(terms) {
    if (!terms) return [];
    return [
      [t('terms.type'), term('type', terms.type)], [t('terms.start'), terms.start], terms.end && [t('terms.end'), terms.end],
      terms.probationEnd && [t('terms.probation'), terms.probationEnd], [t('terms.place'), place(terms.placeOfWork)], [t('terms.industry'), terms.industry],
      terms.modelTextId && [t('terms.modelText'), terms.modelTextId],
    ];
  }

  // ---- API --------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }
  async function api(path, init) {
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'network', String(e.message || e));
    }
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const e = (body && body.error) || { code: 'http_' + res.status, message: res.statusText };
      if (e.code === 'node_unreachable') setNodeStatus(false);
      throw new ApiError(res.status, e.code, e.message);
    }
    return body;
  }
  function errorBox(e) {
    const title = t('error.' + e.code) === 'error.' + e.code ? t('common.error') : t('error.' + e.code);
    return html`<div class="notice notice-error" id="error" data-code="${e.code}"><strong>${title}</strong><p>${e.message}</p></div>`;
  }

  // ---- node status and live blocks --------------------------------------------------------------------------
  let nodeReachable = true;
  let currentPage = '';
  const blockListeners = new Set();
  function setNodeStatus(reachable) {
    const was = nodeReachable;
    nodeReachable = reachable;
    banner.hidden = reachable;
    document.body.classList.toggle('node-down', !reachable);
    if (reachable && !was && main.querySelector('[data-code="node_unreachable"]')) route();
  }
  function connectEvents() {
    const events = new EventSource('/api/events');
    events.addEventListener('status', (e) => setNodeStatus(JSON.parse(e.data).reachable));
    events.addEventListener('block', (e) => {
      const block = JSON.parse(e.data);
      setNodeStatus(true);
      for (const f of blockListeners) f(block);
    });
  }

  // ---- pages ------------------------------------------------------------------------------------------------
  const pageTitle = (text, extra) => html`<div class="page-head"><h1>${text}</h1>${extra || ''}</div>`;

  async function overviewPage(token) {
    let o;
    try {
      o = await api('/api/overview');
    } catch (e) {
      if (token !== routeToken) return;
      mount(html`${pageTitle(t('overview.title'))}${e.code === 'node_unreachable' ? unreachablePanel(e) : errorBox(e)}`);
      if (e.code === 'node_unreachable' || e.code === 'network') setTimeout(() => { if (token === routeToken) route(); }, 3000);
      return;
    }
    if (token !== routeToken) return;
    mount(html`
      ${pageTitle(t('overview.title'), html`<span class="live" id="live-indicator">● ${t('node.live')}</span>`)}
      <section class="stats" id="stats">${overviewStats(o)}</section>
      <section class="card">
        <h2>${t('overview.validators')} <span class="muted small" id="validators-window">${t('overview.window', { n: o.window })}</span></h2>
        <table class="grid" id="validators"><thead><tr><th>${t('validator.name')}</th><th>${t('validator.region')}</th><th>${t('validator.certificate')}</th><th>${t('validator.lastSeen')}</th><th class="w-share">${t('validator.share')}</th></tr></thead>
        <tbody>${validatorRows(o)}</tbody></table>
      </section>
      <section class="card">
        <h2>${t('overview.recentBlocks')}</h2>
        <table class="grid" id="recent-blocks"><thead><tr><th>${t('block.height')}</th><th>${t('block.time')}</th><th>${t('block.txCount')}</th><th>${t('block.seals')}</th><th>${t('block.hash')}</th></tr></thead>
        <tbody>${o.recentBlocks.map(blockRow)}</tbody></table>
        ${o.recentBlocks.length ? '' : html`<p class="muted">${t('overview.noBlocks')}</p>`}
      </section>`);
    drawShares();
    // A new block: its row at once; the figures and the validators' seals from a fresh overview shortly after.
    let refresh = null;
    const onBlock = (b) => {
      const tbody = main.querySelector('#recent-blocks tbody');
      if (!tbody || tbody.querySelector(`tr[data-height="${b.height}"]`)) return;
      tbody.insertAdjacentHTML('afterbegin', render(blockRow(b)));
      tbody.firstElementChild.classList.add('fresh');
      while (tbody.children.length > 12) tbody.lastElementChild.remove();
      main.querySelector('#stat-height').textContent = b.height;
      main.querySelector('#stat-last').textContent = fmtTime(b.time);
      clearTimeout(refresh);
      refresh = setTimeout(async () => {
        try {
          const fresh = await api('/api/overview');
          if (token !== routeToken) return;
          main.querySelector('#stats').innerHTML = render(overviewStats(fresh));
          main.querySelector('#validators tbody').innerHTML = render(validatorRows(fresh));
          main.querySelector('#validators-window').textContent = t('overview.window', { n: fresh.window });
          drawShares();
        } catch { /* the banner says why; the next block tries again */ }
      }, 400);
    };
    blockListeners.add(onBlock);
    pageCleanup.push(() => { blockListeners.delete(onBlock); clearTimeout(refresh); });
  }
  function overviewStats(o) {
    const stat = (id, label, value, sub, cls) => html`<div class="stat"><div class="stat-label">${label}</div><div class="stat-value ${cls || ''}" id="${id}">${value}</div>${sub ? html`<div class="stat-sub" id="${id}-sub">${sub}</div>` : ''}</div>`;
    return html`
        ${stat('stat-chain', t('overview.chainId'), o.chainId, o.nodeName ? `${t('overview.node')}: ${o.nodeName}` : '', 'stat-small')}
        ${stat('stat-height', t('overview.height'), o.height)}
        ${stat('stat-last', t('overview.lastBlock'), fmtTime(o.headTime), ago(o.headTime), 'stat-small')}
        ${stat('stat-total', t('overview.totalTx'), o.totalTransactions)}
        ${stat('stat-rate', t('overview.txRate'), o.txRate == null ? '—' : `${o.txRate} ${t('overview.txRateUnit')}`, t('overview.window', { n: o.window }))}
        ${stat('stat-mempool', t('overview.mempool'), o.mempool.count)}`;
  }
  const validatorRows = (o) => o.validators.map((v) => html`<tr>
          <td>${validatorName(v)}</td><td>${place(v.division)}</td><td>${shortHash(v.certificateId)}</td>
          <td>${v.lastSeen ? html`${fmtTime(v.lastSeen)} <span class="muted small">${ago(v.lastSeen)}</span>` : html`<span class="muted">${t('validator.never')}</span>`}</td>
          <td><div class="share"><div class="share-bar"><span data-share="${v.share}"></span></div><span class="share-text">${(v.share * 100).toFixed(1)}%</span></div></td>
        </tr>`);
  function drawShares() {
    for (const bar of main.querySelectorAll('[data-share]')) bar.style.width = (Number(bar.dataset.share) * 100).toFixed(1) + '%';
  }
  const blockRow = (b) => html`<tr data-height="${b.height}"><td>${blockLink(b.height)}</td><td>${fmtTime(b.time)}</td><td>${b.txCount}</td><td>${b.seals}</td><td>${link('/block/' + b.hash, shortHash(b.hash))}</td></tr>`;
  const unreachablePanel = (e) => html`<div class="notice notice-down" id="error" data-code="node_unreachable">
    <strong>${t('node.unreachable')}</strong><p>${t('node.unreachableDetail')}</p><p class="muted small">${e.message}</p></div>`;

  async function blockPage(token, id) {
    const b = await api('/api/blocks/' + encodeURIComponent(id));
    if (token !== routeToken) return;
    mount(html`
      ${pageTitle(t('block.title', { height: b.height }), html`<span class="pager">${b.height > 0 ? link('/block/' + (b.height - 1), '‹ ' + t('block.prev')) : ''} ${link('/block/' + (b.height + 1), t('block.next') + ' ›')}</span>`)}
      <section class="card">${kv([
        [t('block.hash'), hash(b.hash)], [t('block.time'), fmtTime(b.time)], [t('block.prevHash'), b.height > 0 ? link('/block/' + b.prevHash, hash(b.prevHash)) : hash(b.prevHash)],
        [t('block.txRoot'), hash(b.txRoot)], [t('block.receiptsRoot'), hash(b.receiptsRoot)], [t('block.stateRoot'), hash(b.stateRoot)],
        [t('block.proposer'), html`${b.proposer.name || ''} ${shortHash(b.proposer.certificateId)}`], [t('block.round'), b.round],
        [t('block.validatorSet'), hash(b.validatorSetHash)], [t('block.txCount'), b.txCount],
      ])}</section>
      ${anchorSlot()}
      <section class="card"><h2>${t('block.transactions')}</h2>
        ${b.transactions.length ? html`<table class="grid"><thead><tr><th>#</th><th>${t('tx.id')}</th><th>${t('tx.action')}</th><th>${t('tx.contract')}</th><th>${t('tx.receipt')}</th></tr></thead><tbody>
          ${b.transactions.map((x) => html`<tr><td>${x.index}</td><td>${txLink(x.txId)}</td><td>${x.action ? actionBadge(x.action) : '—'}</td><td>${contractLink(x.contractId)}</td><td>${receiptBadge(x.receiptCode)}</td></tr>`)}
        </tbody></table>` : b.txCount > 0 ? html`<p class="muted" id="txs-for-staff">${t('staff.required')}</p>` : html`<p class="muted">${t('block.noTx')}</p>`}
      </section>
      <section class="card"><h2>${t('block.seals')} <span class="muted small">${t('block.seals.count', { n: b.seals.length })}</span></h2>
        <table class="grid"><thead><tr><th>${t('validator.name')}</th><th>${t('validator.region')}</th><th>${t('validator.certificate')}</th></tr></thead><tbody>
        ${b.seals.map((s) => html`<tr><td>${validatorName(s)}</td><td>${place(s.division)}</td><td>${hash(s.certificateId)}</td></tr>`)}</tbody></table>
      </section>`);
    await anchorCard(token, b.height);
  }
  // The external anchor covering a height (public): filled in after the page, as it changes once the checkpoint is anchored.
  async function anchorCard(token, height, note) {
    const slot = document.getElementById('external-anchor');
    if (!slot) return;
    let a;
    try {
      a = await api('/api/anchors/' + height);
    } catch (e) {
      if (token === routeToken) slot.innerHTML = render(html`<h2>${t('anchor.title')}</h2>${errorBox(e)}`);
      return;
    }
    if (token !== routeToken) return;
    slot.dataset.anchored = a.anchored ? 'true' : 'false';
    slot.innerHTML = render(a.anchored
      ? html`<h2>${t('anchor.title')} ${badge('ok', '✓')}</h2>${kv([
          [t('anchor.covers'), html`<span id="anchor-covers">${t('anchor.coversValue', { height: a.checkpointHeight, of: height })}</span> ${blockLink(a.checkpointHeight)}`],
          [t('anchor.evmChain'), html`<span id="anchor-evm-chain">${a.evmChainId}</span>`], [t('anchor.contract'), html`<code class="hash" id="anchor-contract">${a.contract}</code>`],
          [t('anchor.txHash'), html`<code class="hash" id="anchor-tx">${a.txHash}</code>`], [t('anchor.externalBlock'), html`<span id="anchor-external-block">${a.externalBlock}</span>`],
          [t('anchor.externalTime'), html`<span id="anchor-external-time">${fmtTime(a.externalTime)}</span>`], [t('anchor.recordedAt'), blockLink(a.recordedAt)],
        ])}<p class="muted small">${note ? t(note, { of: height }) + ' ' : ''}${t('anchor.note', { height: a.checkpointHeight })}</p>`
      : html`<h2>${t('anchor.title')}</h2><p class="muted" id="anchor-none">${t('anchor.none')}</p>`);
  }
  const anchorSlot = () => html`<section class="card" id="external-anchor"><h2>${t('anchor.title')}</h2><p class="muted">…</p></section>`;

  // A party may file a version that was later changed: say so where the clerk cannot miss it.
  const supersededNotice = (n) => (n && n.superseded
    ? html`<div class="notice notice-warn" id="superseded-notice" role="alert"><strong>⚠ ${t('supersede.title')}</strong>
        <p>${t('supersede.text', { version: n.version, effective: n.effectiveVersion || '—', latest: n.latestVersion })}</p></div>`
    : '');
  const receiptBadge = (code) => (code === 'Ok' ? badge('ok', t('code.Ok')) : badge('refused', code));

  async function txPage(token, id) {
    const x = await api('/api/tx/' + encodeURIComponent(id));
    if (token !== routeToken) return;
    const p = x.payload || {};
    mount(html`
      ${pageTitle(t('tx.title'), html`<span class="actions"><a class="button" id="download-proof" href="/api/tx/${x.txId}/proof" download>${t('tx.downloadProof')}</a> ${html`<a class="button button-secondary" href="/print/${x.txId}" data-link id="printable-link">${t('tx.printable')}</a>`} ${reportLink(x.txId)}</span>`)}
      ${supersededNotice(x.contractNow)}
      <section class="card">${kv([
        [t('tx.id'), hash(x.txId)], x.contractNow && [t('contract.now'), html`<span id="contract-now">${statusBadge(x.contractNow.status)}</span>`], [t('tx.receipt'), html`${receiptBadge(x.receiptCode)} ${x.receiptCode === 'Ok' ? t('tx.receiptOk') : html`${t('tx.receiptRefused')}: ${x.receiptMessage}`}`],
        x.warnings.length && [t('tx.warnings'), x.warnings.join(', ')],
        [t('tx.block'), html`${blockLink(x.height)} ${shortHash(x.blockHash)}`], [t('tx.index'), x.index], [t('tx.time'), fmtTime(x.blockTime)],
        [t('tx.chain'), x.chainId], [t('tx.submitter'), hash(x.submitter)], [t('tx.expires'), fmtTime(x.expiresAt)],
      ])}</section>
      <section class="card"><h2>${t('tx.payload')}</h2>${kv([
        [t('tx.action'), p.action ? actionBadge(p.action) : '—'], [t('tx.contract'), contractLink(p.contractId)], p.version != null && [t('tx.version'), p.version],
        p.documentHash && [t('tx.documentHash'), link('/verify/' + p.documentHash, hash(p.documentHash))], p.documentFormat && [t('tx.format'), term('format', p.documentFormat)],
        p.employerCreditCode && [t('tx.employer'), p.employerCreditCode], p.workerPseudonym && [t('tx.worker'), hash(p.workerPseudonym)],
        p.detail && [t('tx.detail'), term('detail', p.detail)], p.effectiveDate && [t('tx.effective'), p.effectiveDate], p.paperSignedOn && [t('tx.paperSigned'), p.paperSignedOn],
        p.attestationReference && [t('tx.attestation'), p.attestationReference], ...termsRows(p.terms),
      ])}</section>
      <section class="card"><h2>${t('tx.endorsements')}</h2>${signersTable(x.endorsements)}</section>`);
  }

  function timeline(events, anchors) {
    const anchorIds = new Set(anchors || []);
    let seenAnchor = false;
    return html`<ol class="timeline" id="timeline">${events.map((ev) => {
      const isAnchor = anchorIds.has(ev.txId);
      const later = seenAnchor && !isAnchor;
      if (isAnchor) seenAnchor = true;
      return html`<li class="${isAnchor ? 'is-anchor' : later ? 'is-later' : ''}" data-action="${ev.action}">
        <div class="tl-time">${fmtTime(ev.time)}</div>
        <div class="tl-body">
          <div class="tl-head">${actionBadge(ev.action)} <span>${t('tx.version')} ${ev.version}</span>
            ${isAnchor ? badge('anchor', t('verify.thisEvent')) : ''}${later ? badge('later', t('verify.later')) : ''}
            ${ev.receiptCode !== 'Ok' ? receiptBadge(ev.receiptCode) : ''}</div>
          <div class="tl-meta">${t('contract.signedBy')}: ${ev.signers.length ? signersInline(ev.signers) : term('role', ev.submitterRole)}</div>
          ${ev.detail ? html`<div class="tl-meta">${t('tx.detail')}: ${term('detail', ev.detail)}${ev.effectiveDate ? html` · ${t('tx.effective')} ${ev.effectiveDate}` : ''}</div>` : ''}
          <div class="tl-meta">${t('tx.id')} ${txLink(ev.txId)} · ${t('tx.block')} ${blockLink(ev.height)}${ev.documentHash ? html` · ${t('tx.documentHash')} ${shortHash(ev.documentHash)}` : ''}</div>
        </div></li>`;
    })}</ol>`;
  }

  function contractSection(c, anchors) {
    return html`
      <section class="card contract" data-contract="${c.contractId}">
        <h2>${t('contract.title', { id: c.contractId })} ${statusBadge(c.status)}</h2>
        ${kv([
          [t('contract.status'), html`<span id="contract-status">${term('status', c.status)}</span>`], [t('contract.employer'), c.employerCreditCode],
          [t('contract.worker'), hash(c.workerPseudonym)], [t('contract.grade'), term('grade', c.evidenceGrade)],
          [t('contract.effectiveVersion'), c.effectiveVersion || '—'], c.closedOn && [t('contract.closedOn'), c.closedOn], c.closureDetail && [t('contract.closure'), term('detail', c.closureDetail)],
        ])}
        <h3>${t('contract.versions')}</h3>
        <table class="grid"><thead><tr><th>${t('tx.version')}</th><th>${t('tx.action')}</th><th>${t('tx.documentHash')}</th><th>${t('terms.type')}</th><th>${t('terms.start')}</th><th>${t('terms.end')}</th><th>${t('contract.signedBy')}</th></tr></thead><tbody>
        ${c.versions.map((v) => html`<tr><td>${v.number}</td><td>${actionBadge(v.createdBy)}</td><td>${link('/verify/' + v.documentHash, shortHash(v.documentHash))}</td>
          <td>${v.terms ? term('type', v.terms.type) : '—'}</td><td>${v.terms ? v.terms.start : '—'}</td><td>${(v.terms && v.terms.end) || '—'}</td>
          <td>${[v.employerSigned && t('contract.employerSigned'), v.workerSigned && t('contract.workerSigned'), v.concluded && t('contract.concluded')].filter(Boolean).join(' · ') || '—'}</td></tr>`)}
        </tbody></table>
        <h3>${t('contract.timeline')}</h3>
        ${timeline(c.timeline, anchors)}
      </section>`;
  }

  async function contractPage(token, id) {
    const c = await api('/api/contracts/' + encodeURIComponent(id));
    if (token !== routeToken) return;
    mount(html`${pageTitle(t('contract.title', { id: c.contractId }), html`<span class="actions">${contractReportLink(c.contractId)}</span>`)}${contractSection(c)}${anchorSlot()}`);
    // The newest event's block: an anchor covering it covers the contract's whole history.
    const latest = Math.max(...c.timeline.map((ev) => ev.height));
    if (Number.isFinite(latest)) await anchorCard(token, latest, 'anchor.contractNote');
  }

  // ---- verify: hash in the browser, look the hash up -------------------------------------------------------
  function hashFile(file, onProgress) {
    return new Promise((resolve, reject) => {
      const worker = new Worker('/assets/sm3-worker.js');
      worker.onmessage = (e) => {
        if (e.data.progress !== undefined) { if (onProgress) onProgress(e.data.progress); return; }
        worker.terminate();
        if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data);
      };
      worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message)); };
      worker.postMessage(file);
    });
  }

  function verifyPage(token, initialHash) {
    mount(html`
      ${pageTitle(t('verify.title'))}
      <section class="card">
        <p class="lead">${t('verify.intro')}</p>
        <label class="dropzone" id="drop-zone" for="file-input">
          <span class="dz-icon" aria-hidden="true">⇪</span>
          <span class="dz-text">${t('verify.drop')}</span>
          <span class="button">${t('verify.choose')}</span>
          <input type="file" id="file-input" class="visually-hidden">
        </label>
        <form id="hash-form" class="inline-form">
          <label for="hash-input">${t('verify.or')}</label>
          <div class="row"><input id="hash-input" type="text" spellcheck="false" autocomplete="off" placeholder="${t('verify.hashPlaceholder')}" value="${initialHash || ''}"><button type="submit">${t('verify.check')}</button></div>
        </form>
      </section>
      <div id="verify-result"></div>`);
    const result = main.querySelector('#verify-result');
    const input = main.querySelector('#file-input');
    const zone = main.querySelector('#drop-zone');
    const onFile = async (file) => {
      if (!file) return;
      result.innerHTML = render(html`<section class="card"><p>${t('verify.hashing')} <progress id="hash-progress" max="1" value="0"></progress></p></section>`);
      try {
        const r = await hashFile(file, (p) => { const bar = result.querySelector('#hash-progress'); if (bar) bar.value = p; });
        if (token !== routeToken) return;
        history.replaceState(null, '', '/verify/' + r.hash);
        await lookUp(token, r.hash, { name: file.name, size: r.size, ms: r.ms });
      } catch (e) {
        result.innerHTML = render(errorBox(e instanceof ApiError ? e : new ApiError(0, 'bad_request', e.message)));
      }
    };
    input.addEventListener('change', () => onFile(input.files[0]));
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); onFile(e.dataTransfer.files[0]); });
    main.querySelector('#hash-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = main.querySelector('#hash-input').value.trim();
      try {
        if (HEX64.test(value)) history.replaceState(null, '', '/verify/' + value.toLowerCase());
        await lookUp(token, value, null);
      } catch (err) {
        result.innerHTML = render(errorBox(err));
      }
    });
    if (initialHash) lookUp(token, initialHash, null).catch((e) => { result.innerHTML = render(errorBox(e)); });
  }

  async function lookUp(token, documentHash, file) {
    const d = await api('/api/documents/' + encodeURIComponent(documentHash));
    if (token !== routeToken) return;
    const result = main.querySelector('#verify-result');
    const fileFacts = file ? kv([
      [t('verify.file'), file.name], [t('verify.size'), size(file.size)],
      [t('verify.fileHash'), html`<code class="hash" id="file-hash">${d.documentHash}</code><div class="muted small">${t('verify.localOnly', { ms: file.ms })}</div>`],
    ]) : kv([[t('verify.fileHash'), html`<code class="hash" id="file-hash">${d.documentHash}</code>`]]);
    if (!d.contracts) {
      // The public view: anchored or not, when, which event, the contract's status — nothing about people.
      result.innerHTML = render(html`
        <section class="card verdict ${d.anchored ? 'verdict-ok' : 'verdict-no'}" id="verdict" data-anchored="${String(d.anchored)}">
          <div class="verdict-mark" aria-hidden="true">${d.anchored ? '✓' : '✗'}</div>
          <div class="verdict-body"><div class="verdict-title" id="verdict-title">${d.anchored ? t('verify.anchored') : t('verify.notAnchored')}</div>
          <p>${d.anchored ? t('verify.anchoredDetail') : t('verify.notAnchoredDetail')}</p>${fileFacts}</div>
        </section>
        ${d.anchors.length ? html`<section class="card"><h2>${t('verify.anchors')}</h2>
          <table class="grid" id="anchors"><thead><tr><th>${t('tx.time')}</th><th>${t('tx.action')}</th><th>${t('verify.status')}</th><th>${t('tx.receipt')}</th><th>${t('block.height')}</th></tr></thead><tbody>
          ${d.anchors.map((a) => html`<tr><td>${fmtTime(a.time)}</td><td>${actionBadge(a.action)}</td><td>${statusBadge(a.contractStatus)}</td><td>${receiptBadge(a.receiptCode)}</td><td>${blockLink(a.height)}</td></tr>`)}
          </tbody></table><p class="muted small" id="public-note">${t('verify.publicNote')}</p></section>` : ''}
        ${batchSection(d.batches)}`);
      return;
    }
    const anchorIds = d.anchors.map((a) => a.txId);
    result.innerHTML = render(html`
      <section class="card verdict ${d.anchored ? 'verdict-ok' : 'verdict-no'}" id="verdict" data-anchored="${String(d.anchored)}">
        <div class="verdict-mark" aria-hidden="true">${d.anchored ? '✓' : '✗'}</div>
        <div class="verdict-body"><div class="verdict-title" id="verdict-title">${d.anchored ? t('verify.anchored') : t('verify.notAnchored')}</div>
        <p>${d.anchored ? t('verify.anchoredDetail') : t('verify.notAnchoredDetail')}</p>${fileFacts}</div>
      </section>
      ${d.anchors.length ? html`<section class="card"><h2>${t('verify.anchors')}</h2>
        <table class="grid" id="anchors"><thead><tr><th>${t('tx.contract')}</th><th>${t('tx.action')}</th><th>${t('tx.version')}</th><th>${t('tx.time')}</th><th>${t('contract.signedBy')}</th><th>${t('tx.id')}</th><th></th></tr></thead><tbody>
        ${d.anchors.map((a) => html`<tr><td>${contractLink(a.contractId)}</td><td>${a.action ? actionBadge(a.action) : '—'}</td><td>${a.version ?? '—'}</td><td>${fmtTime(a.time)}</td>
          <td>${signersInline(a.signers)}</td><td>${txLink(a.txId)}</td><td class="nowrap"><a href="/api/tx/${a.txId}/proof" download>proof.json</a> · <a href="/print/${a.txId}" data-link>${t('common.print')}</a></td></tr>`)}
        </tbody></table></section>
        ${d.contracts.map((c) => contractSection(c, anchorIds))}` : ''}
      ${batchSection(d.batches)}`);
  }

  /** The sealed paper batches holding the document: anchored in bulk by a bureau, when, and the batch's size. */
  function batchSection(batches) {
    if (!batches || batches.length === 0) return '';
    return html`<section class="card" id="batches"><h2>${t('verify.batches')}</h2><p>${t('verify.batchDetail')}</p>
      <table class="grid"><thead><tr><th>${t('tx.time')}</th><th>${t('verify.batchCount')}</th><th>${t('verify.status')}</th><th>${t('block.height')}</th><th>${t('verify.sealTx')}</th></tr></thead><tbody>
      ${batches.map((b) => html`<tr><td>${fmtTime(b.time)}</td><td>${b.documentCount}</td><td>${t('verify.batchAnchored')}</td><td>${blockLink(b.height)}</td><td><code class="hash">${b.sealTxId.slice(0, 16)}…</code></td></tr>`)}
      </tbody></table></section>`;
  }

  // ---- evidence: download and check proofs ------------------------------------------------------------------
  function evidencePage(token) {
    mount(html`
      ${pageTitle(t('evidence.title'))}
      <section class="card">
        <h2>${t('evidence.checkTitle')}</h2>
        <p class="lead">${t('evidence.checkIntro')}</p>
        <form id="proof-form" class="stack">
          <label>${t('evidence.proofFile')}<input type="file" id="proof-input" accept=".json,application/json" required></label>
          <label>${t('evidence.contractFile')}<input type="file" id="proof-file-input"></label>
          <label>${t('evidence.genesisFile')}<input type="file" id="genesis-input" accept=".json,application/json"></label>
          <div><button type="submit" id="proof-check">${t('evidence.check')}</button></div>
        </form>
      </section>
      <div id="proof-result"></div>
      <section class="card">
        <h2>${t('evidence.downloadTitle')}</h2>
        <p class="lead">${t('evidence.downloadIntro')}</p>
        <form id="download-form" class="row"><input id="download-tx" type="text" spellcheck="false" placeholder="${t('evidence.txPlaceholder')}"><button type="submit">${t('evidence.download')}</button></form>
        <div id="download-error"></div>
      </section>`);
    main.querySelector('#download-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const id = main.querySelector('#download-tx').value.trim();
      const out = main.querySelector('#download-error');
      try {
        await api('/api/tx/' + encodeURIComponent(id));   // a clear message for a bad or unknown id, before the download
        out.innerHTML = '';
        const a = document.createElement('a');
        a.href = '/api/tx/' + id.toLowerCase() + '/proof';
        a.download = '';
        document.body.appendChild(a);
        a.click();
        a.remove();
      } catch (err) {
        out.innerHTML = render(errorBox(err));
      }
    });
    main.querySelector('#proof-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const out = main.querySelector('#proof-result');
      const proof = main.querySelector('#proof-input').files[0];
      const file = main.querySelector('#proof-file-input').files[0];
      const genesis = main.querySelector('#genesis-input').files[0];
      const form = new FormData();
      if (proof) form.append('proof', proof);
      if (genesis) form.append('genesis', genesis);
      try {
        if (file) {
          out.innerHTML = render(html`<section class="card"><p>${t('verify.hashing')}</p></section>`);
          form.append('fileHash', (await hashFile(file)).hash);
        }
        const v = await api('/api/proof/verify', { method: 'POST', body: form });
        if (token !== routeToken) return;
        out.innerHTML = render(verificationCard(v));
      } catch (err) {
        out.innerHTML = render(html`<section class="card verdict verdict-no" id="proof-verdict" data-valid="false"><div class="verdict-mark">✗</div><div class="verdict-body">${errorBox(err)}</div></section>`);
      }
    });
  }

  // The PBTS bound a verified proof states: a quorum of validators accepted the block's time on clocks within ±X of it.
  function timeBound(a) {
    if (!a) return '—';
    const seconds = (ms) => (ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 });
    return html`<span class="time-bound">${t('evidence.timeBoundText', { quorum: a.quorum, total: a.validators, bound: seconds(a.boundMs), precision: seconds(a.precisionMs), delay: seconds(a.messageDelayMs) })}</span>`;
  }

  function verificationCard(v) {
    const trust = v.trustAnchor ? html`${v.trustAnchor.source === 'uploaded' ? t('evidence.trustUploaded') : t('evidence.trustConfigured')} · ${v.trustAnchor.chainId} · SM3 ${shortHash(v.trustAnchor.genesisHash)}` : '—';
    if (!v.valid) {
      // Said as a clerk reads it: what failed, in words; the verifier's own (English) reason is kept for a technician.
      const mismatch = v.code === 'DocumentHashMismatch';
      return html`<section class="card verdict verdict-no" id="proof-verdict" data-valid="false" data-code="${v.code}">
        <div class="verdict-mark" aria-hidden="true">✗</div>
        <div class="verdict-body"><div class="verdict-title" id="proof-verdict-title">${mismatch ? t('evidence.fileMismatchTitle') : t('evidence.invalid')}</div>
        ${mismatch ? html`<p id="proof-explanation">${t('evidence.fileMismatchText')}</p>` : ''}
        ${kv([[t('evidence.reason'), html`<strong id="proof-reason-words">${term('code', v.code)}</strong>
          <details class="technical"><summary>${t('evidence.technical')}</summary><code>${v.code}</code><div class="reason" id="proof-reason">${v.reason}</div></details>`],
          [t('evidence.trust'), trust]])}</div></section>`;
    }
    const r = v.report;
    return html`<section class="card verdict verdict-ok" id="proof-verdict" data-valid="true">
      <div class="verdict-mark" aria-hidden="true">✓</div>
      <div class="verdict-body"><div class="verdict-title">${t('evidence.valid')}</div>
      ${r.batch ? html`<p id="proof-batch">${t('evidence.batch', { index: r.batch.index + 1, count: r.batch.count })}</p>` : ''}
      ${kv([
        [t('tx.contract'), contractLink(r.contractId)], ...(r.batch
          ? [[t('evidence.batchGrade'), term('grade', r.batch.grade)], [t('evidence.batchRoot'), hash(r.batch.root)]]
          : [[t('tx.action'), actionBadge(r.action)], [t('tx.version'), r.version]]),
        [t('tx.documentHash'), hash(r.documentHash)], [t('verify.file'), v.fileChecked ? t('evidence.fileMatches') : t('evidence.fileNotChecked')],
        [t('tx.time'), fmtTime(r.blockTime)], [t('evidence.timeBound'), timeBound(r.attestedTime)],
        [t('tx.block'), html`${blockLink(r.height)} ${shortHash(r.blockHash)}`], [t('tx.id'), txLink(r.txId)],
        [t('tx.receipt'), receiptBadge(r.receiptCode)], [t('contract.signedBy'), signersInline(r.signers)],
        [t('evidence.sealedBy'), html`${t('evidence.sealsOf', { n: r.sealedBy.length, total: r.validatorCount })}: ${r.sealedBy.map((s, i) => html`${i ? '，' : ''}${s.bureau || s.name || s.certificateId.slice(0, 12)}`)}`],
        [t('evidence.trust'), trust],
      ])}</div></section>`;
  }

  // ---- printable evidence (A4) ------------------------------------------------------------------------------
  async function printPage(token, txId) {
    const e = await api('/api/tx/' + encodeURIComponent(txId) + '/evidence');
    const block = await api('/api/blocks/' + e.transaction.blockHash);
    if (token !== routeToken) return;
    const x = e.transaction;
    const p = x.payload || {};
    const v = e.verification;
    const seals = v && v.valid ? v.report.sealedBy : block.seals;
    const status = !v ? html`<p class="sheet-status sheet-warn">${t('print.unverified')}</p>`
      : v.valid ? html`<p class="sheet-status sheet-ok">✓ ${t('print.verifiedBy', { hash: v.trustAnchor.genesisHash })}</p>`
      : html`<p class="sheet-status sheet-bad">✗ ${t('print.invalid', { reason: `${v.code}: ${v.reason}` })}</p>`;
    mount(html`
      <div class="print-actions no-print"><button type="button" id="print-button">${t('print.button')}</button> <a class="button button-secondary" href="/api/tx/${x.txId}/proof" download>${t('tx.downloadProof')}</a> ${reportLink(x.txId)}</div>
      <article class="sheet" id="evidence-sheet">
        <header class="sheet-head">
          <div><div class="sheet-title">${t('print.title')}</div><div class="sheet-sub">${t('print.subtitle')}</div>
            <div class="sheet-meta">${t('print.generated')}: ${fmtTime(new Date().toISOString())} · ${t('tx.chain')}: ${x.chainId}</div></div>
          <figure class="qr"><img id="qr" alt="${t('print.qr')}"><figcaption>${t('print.qr')}</figcaption></figure>
        </header>
        ${status}
        ${supersededNotice(x.contractNow)}
        <h2>${t('print.facts')}</h2>
        <table class="facts">
          <tr><th>${t('tx.contract')}</th><td>${p.contractId || '—'}</td><th>${t('tx.action')}</th><td>${term('action', p.action)} · ${t('tx.version')} ${p.version ?? '—'}</td></tr>
          <tr><th>${t('tx.time')}</th><td>${fmtTime(x.blockTime)}${v && v.valid && v.report.attestedTime ? html`<div class="small">${timeBound(v.report.attestedTime)}</div>` : ''}</td><th>${t('tx.receipt')}</th><td>${x.receiptCode === 'Ok' ? t('tx.receiptOk') : `${t('tx.receiptRefused')}: ${term('code', x.receiptCode)}`}${x.contractNow ? html`<div class="small">${t('contract.now')}：${term('status', x.contractNow.status)}</div>` : ''}</td></tr>
          ${p.employerCreditCode ? html`<tr><th>${t('tx.employer')}</th><td colspan="3">${p.employerCreditCode}</td></tr>` : ''}
          <tr><th>${t('contract.signedBy')}</th><td colspan="3">${x.endorsements.map((s, i) => html`${i ? html`<br>` : ''}${term('scope', s.scope)}：${term('role', s.role)}${s.role === 'Worker' ? html`（${t('signer.workerHidden')}）· ${t('signer.certificate')} ${short(s.certificateId || s.keyId)}` : html` ${s.subject || ''} ${s.creditCode || ''} · ${t('signer.certificate')} ${short(s.certificateId || '')}`}`)}</td></tr>
        </table>
        <h2>${t('print.hashes')}</h2>
        <table class="facts mono">
          <tr><th>${t('tx.documentHash')}</th><td>${p.documentHash || '—'}</td></tr>
          <tr><th>${t('tx.id')}</th><td>${x.txId}</td></tr>
          <tr><th>${t('block.height')}</th><td>${x.height} (${t('tx.index')} ${x.index})</td></tr>
          <tr><th>${t('block.hash')}</th><td>${x.blockHash}</td></tr>
          <tr><th>${t('block.txRoot')}</th><td>${block.txRoot}</td></tr>
          <tr><th>${t('block.validatorSet')}</th><td>${block.validatorSetHash}</td></tr>
          ${v && v.trustAnchor ? html`<tr><th>genesis.json SM3</th><td>${v.trustAnchor.genesisHash}</td></tr>` : ''}
        </table>
        <h2>${t('print.seals')} <span class="small">${v && v.valid ? t('evidence.sealsOf', { n: seals.length, total: v.report.validatorCount }) : t('block.seals.count', { n: seals.length })}</span></h2>
        <table class="facts"><tr><th>${t('validator.name')}</th><th>${t('validator.region')}</th><th>${t('validator.certificate')}</th></tr>
          ${seals.map((s) => html`<tr><td>${validatorName(s)}</td><td>${place(s.division)}</td><td class="mono">${shortHash(s.certificateId)}</td></tr>`)}</table>
        <h2>${t('print.recheck')}</h2>
        <p>${t('print.recheckText')}</p>
        <pre class="command">ledger proof verify proof.json --genesis genesis.json --file CONTRACT</pre>
        <p class="small">${t('print.recheckNote')}</p>
      </article>`);
    main.querySelector('#print-button').addEventListener('click', () => window.print());
    if (window.qrcode) {
      const qr = window.qrcode(0, 'M');
      qr.addData(x.txId);
      qr.make();
      main.querySelector('#qr').src = qr.createDataURL(3, 2);
    }
  }

  // ---- routing ----------------------------------------------------------------------------------------------
  let routeToken = 0;
  let pageCleanup = [];
  const routes = [
    [/^\/$/, 'overview', (tk) => overviewPage(tk)],
    [/^\/block\/([^/]+)$/, 'overview', (tk, m) => blockPage(tk, m[1])],
    [/^\/tx\/([^/]+)$/, 'overview', (tk, m) => txPage(tk, m[1])],
    [/^\/contract\/(.+)$/, 'overview', (tk, m) => contractPage(tk, decodeURIComponent(m[1]))],
    [/^\/verify(?:\/([^/]+))?$/, 'verify', (tk, m) => verifyPage(tk, m[1])],
    [/^\/document\/([^/]+)$/, 'verify', (tk, m) => verifyPage(tk, m[1])],
    [/^\/evidence$/, 'evidence', (tk) => evidencePage(tk)],
    [/^\/print\/([^/]+)$/, 'evidence', (tk, m) => printPage(tk, m[1])],
  ];
  // The bureau dashboard (dashboard.js): what it needs of this page's helpers.
  const dashboardApp = {
    html, render, mount, api, errorBox, pageTitle, contractLink, place, fmtTime, navigate: (p) => navigate(p),
    current: (token) => token === routeToken, cleanup: (f) => pageCleanup.push(f),
  };
  routes.push([/^\/dashboard$/, 'dashboard', (tk) => window.LedgerDashboard.page(tk, dashboardApp)]);

  // ---- staff sign-in -----------------------------------------------------------------------------------------
  let staff = null;
  // The signed verification report (PDF), when this explorer has a bureau certificate to sign it with.
  const reportLink = (txId) => (staff && staff.reports
    ? html`<a class="button button-secondary" id="report-link" href="/api/tx/${txId}/report.pdf" download>${t('tx.report')}</a>` : '');
  // The same for a contract's whole history (its bundle, checked by the explorer before it signs).
  const contractReportLink = (id) => (staff && staff.reports
    ? html`<a class="button button-secondary" id="contract-report-link" href="/api/contracts/${encodeURIComponent(id)}/report.pdf" download>${t('contract.report')}</a>` : '');
  async function refreshStaff() {
    try { staff = await api('/api/session'); } catch { staff = null; }
    const el = document.getElementById('staff-status');
    el.innerHTML = render(staff
      ? html`${staff.role === 'Bureau' ? html`<a href="/dashboard" data-link data-nav="dashboard" id="dashboard-link">${t('nav.dashboard')}</a> ` : ''}<span id="staff-who">${t('staff.signedIn', staff)}</span> <button type="button" id="sign-out" class="link-button">${t('nav.signOut')}</button>`
      : html`<a href="/staff" data-link id="staff-link">${t('nav.staff')}</a>`);
    const out = document.getElementById('sign-out');
    if (out) out.addEventListener('click', async () => { await fetch('/api/session', { method: 'DELETE' }); await refreshStaff(); navigate('/'); });
  }
  function staffPage(token, notice) {
    mount(html`
      ${pageTitle(t('staff.title'))}
      ${notice ? html`<div class="notice" id="sign-in-required">${t('staff.required')}</div>` : ''}
      <section class="card"><p>${t('staff.intro')}</p>
        <form id="sign-in" class="form">
          <label>${t('staff.user')} <input name="user" id="staff-user" autocomplete="username" required></label>
          <label>${t('staff.password')} <input name="password" id="staff-password" type="password" autocomplete="current-password" required></label>
          <label>${t('staff.case')} <input name="caseNumber" id="staff-case" required maxlength="128"></label>
          <button type="submit">${t('staff.submit')}</button>
        </form><div id="sign-in-result"></div></section>`);
    const back = notice ? location.pathname : '/';
    main.querySelector('#sign-in').addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/session', { method: 'POST', body: new FormData(e.target) });
        await refreshStaff();
        navigate(back === '/staff' ? '/' : back);
      } catch (err) {
        main.querySelector('#sign-in-result').innerHTML = render(errorBox(err));
      }
    });
  }
  routes.push([/^\/staff$/, 'staff', (tk) => staffPage(tk, false)]);

  // ---- a worker's own access log: signed in with their own certificate, never a staff account -----------------
  async function myAccessPage(token) {
    let log;
    try {
      log = await api('/api/worker/access');
    } catch (e) {
      if (e.code !== 'worker_sign_in_required') throw e;
      if (token === routeToken) workerSignIn(token);
      return;
    }
    if (token !== routeToken) return;
    mount(html`${pageTitle(t('worker.title'), html`<button type="button" class="button button-secondary" id="worker-sign-out">${t('worker.signOut')}</button>`)}
      <section class="card"><p class="muted" id="worker-who">${t('worker.signedIn', { pseudonym: short(log.pseudonym) })}</p>
      ${log.records.length ? html`<table class="grid" id="access-log"><thead><tr><th>${t('worker.time')}</th><th>${t('worker.contract')}</th><th>${t('worker.accessor')}</th><th>${t('worker.basis')}</th><th>${t('worker.onBehalfOf')}</th><th>${t('tx.block')}</th></tr></thead><tbody>
        ${log.records.map((r) => html`<tr><td>${fmtTime(r.time)}</td><td>${r.contractId}</td><td>${term('role', r.accessorRole)} ${r.accessorName}</td>
          <td>${term('basis', r.basis)}${r.reference ? html` · ${r.reference}` : ''}</td><td>${r.onBehalfOf || '—'}</td><td>${blockLink(r.height)}</td></tr>`)}
      </tbody></table>` : html`<p class="muted" id="access-none">${t('worker.none')}</p>`}</section>`);
    main.querySelector('#worker-sign-out').addEventListener('click', async () => { await fetch('/api/worker/session', { method: 'DELETE' }); route(); });
  }
  function workerSignIn(token) {
    mount(html`${pageTitle(t('worker.title'))}
      <section class="card"><p>${t('worker.intro')}</p>
        <p><button type="button" id="worker-get-challenge">${t('worker.challenge')}</button></p>
        <pre id="worker-challenge" class="hash" hidden></pre><p><a id="worker-challenge-download" download="challenge.txt" hidden>${t('worker.download')}</a></p>
        <form id="worker-sign-in" class="form">
          <label>${t('worker.certificate')} <textarea id="worker-certificate" rows="6" required spellcheck="false"></textarea></label>
          <label>${t('worker.signature')} <textarea id="worker-signature" rows="3" required spellcheck="false"></textarea></label>
          <button type="submit">${t('worker.submit')}</button>
        </form><div id="worker-sign-in-result"></div></section>`);
    let challenge = null;
    main.querySelector('#worker-get-challenge').addEventListener('click', async () => {
      try {
        challenge = (await api('/api/worker/challenge', { method: 'POST' })).challenge;
        const pre = main.querySelector('#worker-challenge');
        pre.textContent = challenge;
        pre.hidden = false;
        const a = main.querySelector('#worker-challenge-download');
        a.href = URL.createObjectURL(new Blob([challenge], { type: 'text/plain' }));
        a.hidden = false;
      } catch (err) {
        main.querySelector('#worker-sign-in-result').innerHTML = render(errorBox(err));
      }
    });
    main.querySelector('#worker-sign-in').addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/worker/session', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ certificate: main.querySelector('#worker-certificate').value, challenge, signature: main.querySelector('#worker-signature').value }),
        });
        if (token === routeToken) route();
      } catch (err) {
        main.querySelector('#worker-sign-in-result').innerHTML = render(errorBox(err));
      }
    });
  }
  routes.push([/^\/my-access$/, 'my-access', (tk) => myAccessPage(tk)]);

  async function route() {
    const token = ++routeToken;
    for (const f of pageCleanup) f();
    pageCleanup = [];
    const path = location.pathname.replace(/\/+$/, '') || '/';
    const match = routes.map(([re, nav, page]) => [re.exec(path), nav, page]).find(([m]) => m);
    currentPage = match ? match[1] : '';
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === currentPage);
    document.body.dataset.page = path.split('/')[1] || 'overview';
    if (!match) {
      mount(errorBox(new ApiError(404, 'not_found', path)));
      return;
    }
    mount(html`<p class="muted loading">${t('common.loading')}</p>`);
    try {
      await match[2](token, match[0]);
    } catch (e) {
      if (token !== routeToken) return;
      if (e.code === 'sign_in_required') staffPage(token, true);
      else mount(e.code === 'node_unreachable' ? unreachablePanel(e) : errorBox(e));
    }
  }

  function navigate(path) {
    history.pushState(null, '', path);
    route();
    window.scrollTo(0, 0);
  }

  async function search(q) {
    q = q.trim();
    if (!q) return;
    try {
      const found = await api('/api/search?q=' + encodeURIComponent(q));
      const target = { block: '/block/', tx: '/tx/', contract: '/contract/', document: '/verify/' }[found.kind];
      navigate(target + encodeURIComponent(found.id));
    } catch (e) {
      ++routeToken;
      mount(html`${pageTitle(t('search.button'))}${errorBox(e)}`);
    }
  }

  async function footer() {
    const el = document.getElementById('footer-trust');
    try {
      const g = await api('/api/genesis');
      el.textContent = t('footer.trust', { hash: g.trustAnchor.genesisHash });
      el.title = `${g.trustAnchor.chainId} (${g.trustAnchor.networkName})`;
    } catch {
      el.textContent = t('footer.noTrust');
    }
  }

  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-link]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', route);
  document.getElementById('search').addEventListener('submit', (e) => {
    e.preventDefault();
    search(document.getElementById('search-input').value);
  });
  document.getElementById('lang-switch').addEventListener('click', () => {
    I18n.setLanguage(I18n.lang === 'en' ? 'zh-CN' : 'en');
    footer();
    route();
  });

  I18n.apply();
  refreshStaff();
  footer();
  connectEvents();
  route();
})();
