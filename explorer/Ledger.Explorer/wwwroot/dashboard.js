// The bureau dashboard (/dashboard): contracts of the viewer's division per month, by industry and by sub-division,
// the e-signing share and the open early warnings, from /api/dashboard. Charts are Apache ECharts, served by the
// explorer itself under /lib/ and loaded by this page only. Every value is escaped before it is shown; each table
// has its CSV (same division and months) beside it.
(function (global) {
  'use strict';

  const { t } = global.I18n;
  let echartsLoading = null;

  function loadECharts() {
    if (global.echarts) return Promise.resolve(global.echarts);
    if (!echartsLoading) {
      echartsLoading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/lib/echarts.min.js';
        script.onload = () => resolve(global.echarts);
        script.onerror = () => { echartsLoading = null; reject(new Error('echarts did not load')); };
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  const pct = (x) => (x * 100).toFixed(1) + '%';
  const num = (n) => Number(n || 0).toLocaleString(global.I18n.lang === 'en' ? 'en-US' : 'zh-CN');

  // A division's own part of its name: 天河区 under 广州市, 广州市 under 广东省; the code when no name is known.
  function shortName(code, parent) {
    const names = global.LedgerDivisions;
    const full = names && names.name(code);
    const above = names && names.name(parent);
    if (!full || full === above) return code;
    return above && full.startsWith(above) && full.length > above.length ? full.slice(above.length) : full;
  }

  // The warning's evidence in a bureau's words (the stored detail is English, for logs and the CSV).
  function detailZh(w) {
    const days = Math.round((new Date(w.raisedAt) - new Date(w.windowStart)) / 86400000);
    if (w.kind === 'closure_rate') return t('dash.detail.rate', { days, n: w.observed, base: (w.reference / 100).toFixed(1) });
    return t('dash.detail.layoff', { days, n: w.observed, workforce: w.reference });
  }

  function page(token, app) {
    const { html, mount, api, errorBox, pageTitle, contractLink, place } = app;
    const params = new URLSearchParams(location.search);
    const query = new URLSearchParams();
    for (const k of ['division', 'from', 'to', 'section', 'type']) if (params.get(k)) query.set(k, params.get(k));
    return api('/api/dashboard' + (query.toString() ? '?' + query : '')).then(async (d) => {
      if (!app.current(token)) return;
      // The filters as URL parameters: the CSV links, the sub-division links and the form all carry them.
      const filters = (division) => {
        const q = new URLSearchParams({ division, from: d.from, to: d.to });
        if (d.section) q.set('section', d.section);
        if (d.type) q.set('type', d.type);
        return q;
      };
      const scope = filters(d.division);
      const csv = (table) => html`<a class="button button-secondary csv-link" id="csv-${table}" href="/api/dashboard/${table}.csv?${scope.toString()}" download>${t('dash.csv')}</a>`;
      const head = (title, table) => html`<div class="card-head"><h2>${title}</h2>${table ? csv(table) : ''}</div>`;
      const stat = (id, label, value) => html`<div class="stat"><div class="stat-label">${label}</div><div class="stat-value" id="${id}">${value}</div></div>`;
      const subName = (code) => shortName(code, d.division);
      const en = global.I18n.lang === 'en';
      const cells = (r) => html`<td class="num">${num(r.signed)}</td><td class="num">${num(r.inForce)}</td><td class="num">${num(r.changed)}</td><td class="num">${num(r.dissolved)}</td><td class="num">${num(r.terminated)}</td><td class="num">${pct(r.eSigningShare)}</td>`;
      const cols = html`<th class="num">${t('dash.signed')}</th><th class="num">${t('dash.inForce')}</th><th class="num">${t('dash.changed')}</th><th class="num">${t('dash.dissolved')}</th><th class="num">${t('dash.terminated')}</th><th class="num">${t('dash.eShare')}</th>`;
      const drill = (code) => (d.subLevel ? html`<a href="/dashboard?${filters(code).toString()}" data-link>${subName(code)}</a>` : subName(code));
      // Months as a year and a month select (年 / 月): an <input type=month> would speak the browser's language, not the page's.
      const [fromYear, fromMonth] = d.from.split('-').map(Number);
      const [toYear, toMonth] = d.to.split('-').map(Number);
      const thisYear = new Date(Date.now() + 8 * 3600000).getUTCFullYear();
      const years = [];
      for (let y = Math.min(fromYear, thisYear - 9); y <= Math.max(toYear, thisYear); y++) years.push(y);
      const monthPicker = (name, label, year, month) => html`<fieldset class="month-picker" id="pick-${name}"><legend>${label}</legend><span class="year-month">
          <select name="${name}Year" aria-label="${label} ${t('dash.year')}">${years.map((y) => html`<option value="${y}" ${y === year ? 'selected' : ''}>${t('dash.yearOf', { y })}</option>`)}</select>
          <select name="${name}Month" aria-label="${label} ${t('dash.monthUnit')}">${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => html`<option value="${m}" ${m === month ? 'selected' : ''}>${t('dash.monthOf', { m })}</option>`)}</select>
        </span></fieldset>`;
      const choice = (value, label, selected) => html`<option value="${value}" ${selected ? 'selected' : ''}>${label}</option>`;
      const divisionLabel = (code) => { const n = names() && names().name(code); return n ? n + ' ' + code : code; };
      const sectionName = (s) => (en ? s.nameEn : s.name);
      const typeName = (ct) => (en ? ct.nameEn : ct.name);
      const chosen = [d.section && d.sections.find((s) => s.code === d.section), d.type && d.contractTypes.find((ct) => ct.code === d.type)].filter(Boolean);
      mount(html`<div id="dashboard">
        ${pageTitle(t('dash.title'), html`<span class="muted" id="dash-division">${place(d.division)}</span>`)}
        <form id="dash-range" class="dash-range">
          <label>${t('dash.division')} <select name="division" id="filter-division">${d.divisionChoices.map((c) => choice(c, divisionLabel(c), c === d.division))}</select></label>
          <label>${t('dash.section')} <select name="section" id="filter-section">${choice('', t('dash.all'), !d.section)}${d.sections.map((s) => choice(s.code, s.code + ' ' + sectionName(s), s.code === d.section))}</select></label>
          <label>${t('dash.type')} <select name="type" id="filter-type">${choice('', t('dash.all'), !d.type)}${d.contractTypes.map((ct) => choice(ct.code, typeName(ct), ct.code === d.type))}</select></label>
          ${monthPicker('from', t('dash.from'), fromYear, fromMonth)}
          ${monthPicker('to', t('dash.to'), toYear, toMonth)}
          <button type="submit">${t('dash.apply')}</button>
          ${d.division !== d.accountDivision ? html`<a href="/dashboard" data-link id="dash-up">${t('dash.ownDivision')}</a>` : ''}
        </form>
        <p class="muted small">${t('dash.note', { from: d.from, to: d.to })}</p>
        ${chosen.length ? html`<p class="muted small" id="dash-filtered">${t('dash.filtered', { what: chosen.map((c) => (c.code.length === 1 ? c.code + ' ' + sectionName(c) : typeName(c))).join('、') })}</p>` : ''}
        <section class="stats" id="dash-totals">
          ${stat('total-signed', t('dash.signed'), num(d.totals.signed))}
          ${stat('total-in-force', t('dash.inForceEnd'), num(d.totals.inForce))}
          ${stat('total-changed', t('dash.changed'), num(d.totals.changed))}
          ${stat('total-dissolved', t('dash.dissolved'), num(d.totals.dissolved))}
          ${stat('total-terminated', t('dash.terminated'), num(d.totals.terminated))}
          ${stat('total-e-share', t('dash.eShare'), pct(d.totals.eSigningShare))}
        </section>
        <section class="card" id="warnings">
          ${head(t('dash.warnings'), 'warnings')}
          ${d.warnings.length ? html`<div class="table-scroll"><table class="grid" id="warnings-table"><thead><tr><th>${t('dash.warningKind')}</th><th>${t('dash.employer')}</th><th>${t('dash.division')}</th><th>${t('dash.raisedAt')}</th><th class="num">${t('dash.observed')}</th><th>${t('dash.contracts')}</th><th></th></tr></thead><tbody>
            ${d.warnings.map((w) => html`<tr data-warning="${w.id}"><td>${en ? w.kindNameEn : w.kindName}<div class="muted small">${en ? w.detail : detailZh(w)}</div></td><td>${w.employer || '—'}</td><td>${place(w.division)}</td><td class="nowrap">${app.fmtTime(w.raisedAt)}</td>
              <td class="num">${w.observed}${w.kind === 'closure_rate' ? '' : html` / ${w.reference}`}</td>
              <td class="contracts">${w.evidence.slice(0, 5).map((e) => contractLink(e.contractId))}${w.evidence.length > 5
                ? html`<details><summary>${t('dash.more', { n: w.evidence.length - 5 })}</summary>${w.evidence.slice(5).map((e) => contractLink(e.contractId))}</details>` : ''}</td>
              <td class="ack-cell"><button type="button" class="ack" data-id="${w.id}">${t('dash.acknowledge')}</button></td></tr>`)}
          </tbody></table></div>` : html`<p class="muted" id="no-warnings">${t('dash.noWarnings')}</p>`}
        </section>
        <section class="card">
          ${head(t('dash.monthly'), 'monthly')}
          <div class="chart" id="chart-monthly" role="img" aria-label="${t('dash.monthly')}"></div>
          <details><summary>${t('dash.table')}</summary><div class="table-scroll"><table class="grid" id="monthly-table"><thead><tr><th>${t('dash.month')}</th>${cols}</tr></thead><tbody>
            ${d.monthly.map((r) => html`<tr><td class="nowrap">${r.month}</td>${cells(r)}</tr>`)}</tbody></table></div></details>
        </section>
        <section class="card">
          ${head(t('dash.eShareTitle'))}
          <div class="chart chart-small" id="chart-esign" role="img" aria-label="${t('dash.eShareTitle')}"></div>
        </section>
        <section class="card">
          ${head(t('dash.industries'), 'industries')}
          <div class="chart" id="chart-industries" role="img" aria-label="${t('dash.industries')}"></div>
          <details><summary>${t('dash.table')}</summary><div class="table-scroll"><table class="grid" id="industries-table"><thead><tr><th>${t('dash.industry')}</th>${cols}</tr></thead><tbody>
            ${d.industries.map((r) => html`<tr><td>${r.section} ${en ? r.nameEn : r.name}</td>${cells(r)}</tr>`)}</tbody></table></div></details>
        </section>
        ${d.subLevel ? html`<section class="card">
          ${head(t('dash.subdivisions'), 'subdivisions')}
          <div class="chart" id="chart-subdivisions" role="img" aria-label="${t('dash.subdivisions')}"></div>
          <div class="table-scroll"><table class="grid" id="subdivisions-table"><thead><tr><th>${t('dash.division')}</th>${cols}</tr></thead><tbody>
            ${d.subdivisions.map((r) => html`<tr data-division="${r.division}"><td>${drill(r.division)} <span class="muted small">${r.division}</span></td>${cells(r)}</tr>`)}</tbody></table></div>
        </section>` : ''}</div>`);

      main().querySelector('#dash-range').addEventListener('submit', (e) => {
        e.preventDefault();
        const form = new FormData(e.target);
        const month = (name) => form.get(name + 'Year') + '-' + String(form.get(name + 'Month')).padStart(2, '0');
        const q = new URLSearchParams({ division: form.get('division'), from: month('from'), to: month('to') });
        if (form.get('section')) q.set('section', form.get('section'));
        if (form.get('type')) q.set('type', form.get('type'));
        app.navigate('/dashboard?' + q.toString());
      });
      for (const button of main().querySelectorAll('button.ack')) {
        button.addEventListener('click', async () => {
          button.disabled = true;
          const cell = button.closest('td');
          try {
            const w = await api(`/api/dashboard/warnings/${encodeURIComponent(button.dataset.id)}/acknowledge`, { method: 'POST' });
            cell.innerHTML = app.render(html`<span class="badge badge-ok acknowledged">${t('dash.acknowledged')}</span><div class="muted small">${w.acknowledgedBy} · ${app.fmtTime(w.acknowledgedAt)}</div>`);
          } catch (err) {
            button.disabled = false;
            cell.insertAdjacentHTML('beforeend', app.render(errorBox(err)));
          }
        });
      }

      const echarts = await loadECharts();
      if (!app.current(token)) return;
      const charts = [];
      const chart = (id, option) => {
        const el = main().querySelector('#' + id);
        if (!el) return;
        // A bar per category needs room: 28 px a bar group (set through the CSSOM, which the page's policy allows).
        if (option.yAxis && option.yAxis.type === 'category') el.style.height = Math.max(240, 28 * option.yAxis.data.length + 70) + 'px';
        const c = echarts.init(el, null, { renderer: 'canvas' });
        // richText tooltips: drawn on the canvas, no inline styles for the page's content security policy to refuse.
        c.setOption({ animation: false, tooltip: { trigger: 'axis', renderMode: 'richText' }, grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true }, ...option });
        charts.push(c);
      };
      const legend = { top: 0, type: 'scroll' };
      const months = d.monthly.map((r) => r.month);
      chart('chart-monthly', {
        legend,
        xAxis: { type: 'category', data: months },
        yAxis: [{ type: 'value', name: t('dash.events') }, { type: 'value', name: t('dash.inForce'), splitLine: { show: false } }],
        series: [
          { id: 'signed', name: t('dash.signed'), type: 'bar', data: d.monthly.map((r) => r.signed) },
          { id: 'changed', name: t('dash.changed'), type: 'bar', data: d.monthly.map((r) => r.changed) },
          { id: 'dissolved', name: t('dash.dissolved'), type: 'bar', data: d.monthly.map((r) => r.dissolved) },
          { id: 'terminated', name: t('dash.terminated'), type: 'bar', data: d.monthly.map((r) => r.terminated) },
          { id: 'inForce', name: t('dash.inForce'), type: 'line', yAxisIndex: 1, data: d.monthly.map((r) => r.inForce) },
        ],
      });
      chart('chart-esign', {
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [{ id: 'eShare', name: t('dash.eShare'), type: 'line', data: d.monthly.map((r) => Math.round(r.eSigningShare * 1000) / 10) }],
      });
      chart('chart-industries', {
        legend,
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: d.industries.map((r) => r.section + ' ' + (en ? r.nameEn : r.name)), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
        series: [
          { id: 'signed', name: t('dash.signed'), type: 'bar', data: d.industries.map((r) => r.signed) },
          { id: 'inForce', name: t('dash.inForceEnd'), type: 'bar', data: d.industries.map((r) => r.inForce) },
        ],
      });
      if (d.subLevel) {
        chart('chart-subdivisions', {
          legend,
          xAxis: { type: 'value' },
          yAxis: { type: 'category', data: d.subdivisions.map((r) => subName(r.division)), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
          series: [
            { id: 'signed', name: t('dash.signed'), type: 'bar', data: d.subdivisions.map((r) => r.signed) },
            { id: 'inForce', name: t('dash.inForceEnd'), type: 'bar', data: d.subdivisions.map((r) => r.inForce) },
            { id: 'closed', name: t('dash.closed'), type: 'bar', data: d.subdivisions.map((r) => r.dissolved + r.terminated) },
          ],
        });
      }
      const resize = () => charts.forEach((c) => c.resize());
      global.addEventListener('resize', resize);
      app.cleanup(() => { global.removeEventListener('resize', resize); charts.forEach((c) => c.dispose()); });
      main().querySelector('#dashboard').dataset.charts = 'drawn';
    });
  }

  const main = () => document.getElementById('main');
  const names = () => global.LedgerDivisions;

  global.LedgerDashboard = { page };
})(window);
