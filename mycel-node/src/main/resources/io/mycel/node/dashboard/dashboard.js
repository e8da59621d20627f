// The Mycel dashboard: reads the node's HTTP API and renders it. No build step, no libraries.
// (No template literals here: this file goes through Maven resource filtering.)
(function () {
  'use strict';

  // The API routes the dashboard uses; each answers JSON. Reads are GET, changes POST.
  var API = {
    id: '/api/v0/id',
    peers: '/api/v0/peers',
    repo: '/api/v0/repo/stat',
    pins: '/api/v0/pin/ls',
    bandwidth: '/api/v0/stats/bw',
    bandwidthHistory: '/api/v0/stats/bw/history',
    add: '/api/v0/add',
    sites: '/api/v0/site/ls',
    publish: '/api/v0/site/publish',
    removeSite: '/api/v0/site/rm'
  };
  var REFRESH_MS = 3000;
  var HOUR_MS = 3600 * 1000;

  var $ = function (id) { return document.getElementById(id); };
  var samples = []; // locally measured {t, in, out} rates when the node keeps no history

  function call(path, options) {
    options = options || {};
    var init = { method: options.method || 'GET', headers: {} };
    if (options.form) {
      init.body = options.form;
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
        if (!response.ok) {
          var message = body && (body.message || body.error || body.Message) || response.statusText;
          var error = new Error(message);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function link(href, text) {
    return el('a', { href: href, target: '_blank', rel: 'noopener', text: text || href });
  }

  function fill(tbody, rows) {
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function bytes(n) {
    if (n === undefined || n === null || isNaN(n)) { return '\u2013'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
  }

  function short(text) {
    return text && text.length > 22 ? text.slice(0, 10) + '\u2026' + text.slice(-8) : text;
  }

  function pick(obj, names) {
    for (var i = 0; i < names.length; i++) {
      if (obj && obj[names[i]] !== undefined) { return obj[names[i]]; }
    }
    return undefined;
  }

  function setStatus(ok, text) {
    var s = $('status');
    s.textContent = text;
    s.className = 'status ' + (ok ? 'ok' : 'bad');
  }

  function loadIdentity() {
    return call(API.id).then(function (id) {
      $('peer-id').textContent = pick(id, ['peerId', 'ID', 'id']);
      $('agent').textContent = pick(id, ['agentVersion', 'AgentVersion', 'agent']) || '';
      var addresses = pick(id, ['swarmAddresses', 'addresses', 'Addresses']) || [];
      fill($('addresses'), addresses.map(function (a) { return el('li', {}, [el('code', { text: a })]); }));
    });
  }

  function loadPeers() {
    return call(API.peers).then(function (body) {
      var peers = Array.isArray(body) ? body : (pick(body, ['peers', 'Peers']) || []);
      $('peer-count').textContent = peers.length;
      $('peers-empty').hidden = peers.length > 0;
      fill($('peers'), peers.map(function (p) {
        var id = pick(p, ['peerId', 'peer', 'Peer', 'id']);
        var addr = pick(p, ['address', 'addr', 'Addr', 'remoteAddress']) || '';
        return el('tr', {}, [el('td', {}, [el('code', { text: short(id), title: id })]),
          el('td', {}, [el('code', { text: addr })])]);
      }));
    });
  }

  function loadStorage() {
    return call(API.repo).then(function (s) {
      var used = pick(s, ['bytes', 'usedBytes', 'RepoSize', 'repoSize', 'size']);
      var quota = pick(s, ['quotaBytes', 'StorageMax', 'storageMax', 'quota']);
      $('storage-used').textContent = bytes(used);
      $('storage-quota').textContent = quota ? bytes(quota) : 'no quota';
      $('storage-blocks').textContent = pick(s, ['blocks', 'NumObjects', 'numObjects']);
      var share = quota ? Math.min(1, used / quota) : 0;
      $('storage-bar').style.width = (share * 100).toFixed(1) + '%';
      $('storage-bar').className = share > 0.9 ? 'full' : '';
    });
  }

  function loadPins() {
    return call(API.pins).then(function (body) {
      var pins = Array.isArray(body) ? body : (pick(body, ['pins', 'Pins']) || []);
      $('pin-count').textContent = pins.length;
      fill($('pins'), pins.map(function (p) {
        var cid = pick(p, ['cid', 'Cid']);
        return el('tr', {}, [el('td', {}, [el('code', { text: short(cid), title: cid })]),
          el('td', { text: pick(p, ['type', 'Type']) || '' }), el('td', { text: pick(p, ['name', 'Name']) || '' })]);
      }));
    });
  }

  function loadSites() {
    return call(API.sites).then(function (body) {
      var sites = Array.isArray(body) ? body : (body && body.sites) || [];
      $('site-count').textContent = sites.length;
      $('sites-empty').hidden = sites.length > 0;
      fill($('sites'), sites.map(function (s) {
        var urls = s.urls || {};
        var open = el('td', {}, []);
        if (urls.gateway) { open.appendChild(link(urls.gateway, 'gateway')); open.appendChild(document.createTextNode(' \u00b7 ')); }
        if (urls.subdomain) { open.appendChild(link(urls.subdomain, 'subdomain')); open.appendChild(document.createTextNode(' \u00b7 ')); }
        open.appendChild(el('code', { text: urls.path || ('/ipns/' + s.ipnsName) }));
        var remove = el('button', { type: 'button', 'class': 'link', text: 'remove', 'data-site': s.name });
        remove.addEventListener('click', function () { removeSite(s.name); });
        return el('tr', { 'data-site': s.name }, [
          el('td', { text: s.name }),
          el('td', {}, [el('code', { text: short(s.ipnsName), title: s.ipnsName })]),
          el('td', {}, [el('code', { text: short(s.cid), title: s.cid }),
            el('span', { 'class': 'muted small', text: s.announced ? '' : ' (not announced yet)' })]),
          open, el('td', {}, [remove])]);
      }));
    });
  }

  // Bandwidth: the node's counters give the totals; the chart shows the node's history for the
  // last hour when it keeps one, else the rates this page measured since it was opened.
  var lastTotals = null;
  function loadBandwidth() {
    return call(API.bandwidth).then(function (bw) {
      var totalIn = pick(bw, ['totalIn', 'TotalIn', 'bytesIn', 'in']);
      var totalOut = pick(bw, ['totalOut', 'TotalOut', 'bytesOut', 'out']);
      var rateIn = pick(bw, ['rateIn', 'RateIn']);
      var rateOut = pick(bw, ['rateOut', 'RateOut']);
      var now = Date.now();
      if ((rateIn === undefined || rateOut === undefined) && lastTotals && now > lastTotals.t) {
        var seconds = (now - lastTotals.t) / 1000;
        rateIn = Math.max(0, (totalIn - lastTotals.in) / seconds);
        rateOut = Math.max(0, (totalOut - lastTotals.out) / seconds);
      }
      lastTotals = { t: now, in: totalIn, out: totalOut };
      $('total-in').textContent = bytes(totalIn);
      $('total-out').textContent = bytes(totalOut);
      $('rate-in').textContent = rateIn === undefined ? '\u2013' : bytes(rateIn) + '/s';
      $('rate-out').textContent = rateOut === undefined ? '\u2013' : bytes(rateOut) + '/s';
      if (rateIn !== undefined) {
        samples.push({ t: now, in: rateIn, out: rateOut });
        while (samples.length && samples[0].t < now - HOUR_MS) { samples.shift(); }
      }
      return call(API.bandwidthHistory).then(function (history) {
        var points = Array.isArray(history) ? history : (history && (history.samples || history.points)) || [];
        $('bw-note').textContent = 'From the node\u2019s history.';
        drawChart(points.map(function (p) {
          return { t: Date.parse(p.time || p.t) || p.timeMs || p.t, in: p.rateIn || p.in || 0, out: p.rateOut || p.out || 0 };
        }));
      }, function () {
        $('bw-note').textContent = 'Measured by this page while it is open (the node keeps no history).';
        drawChart(samples);
      });
    }, function (error) {
      $('bw-note').textContent = 'Bandwidth is not available from this node\u2019s API (' + error.message + ').';
      drawChart([]);
    });
  }

  function drawChart(points) {
    var svg = $('bw-chart');
    var W = 600, H = 160, top = 12, bottom = 16;
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var ns = 'http://www.w3.org/2000/svg';
    var now = Date.now();
    var max = 1;
    points.forEach(function (p) { max = Math.max(max, p.in, p.out); });
    for (var g = 0; g <= 4; g++) {
      var y = top + (H - top - bottom) * g / 4;
      var line = document.createElementNS(ns, 'line');
      line.setAttribute('class', 'grid');
      line.setAttribute('x1', 0); line.setAttribute('x2', W); line.setAttribute('y1', y); line.setAttribute('y2', y);
      svg.appendChild(line);
    }
    var label = document.createElementNS(ns, 'text');
    label.setAttribute('x', 4); label.setAttribute('y', 10);
    label.textContent = bytes(max) + '/s';
    svg.appendChild(label);
    ['in', 'out'].forEach(function (key) {
      var path = points.filter(function (p) { return p.t >= now - HOUR_MS; }).map(function (p) {
        var x = W * (1 - (now - p.t) / HOUR_MS);
        var y = H - bottom - (H - top - bottom) * (p[key] / max);
        return x.toFixed(1) + ',' + y.toFixed(1);
      }).join(' ');
      var line = document.createElementNS(ns, 'polyline');
      line.setAttribute('class', key);
      line.setAttribute('points', path);
      svg.appendChild(line);
    });
  }

  function refresh() {
    var parts = [loadIdentity(), loadPeers(), loadStorage(), loadPins(), loadSites(), loadBandwidth()];
    return Promise.all(parts.map(function (p) { return p.then(function () { return null; }, function (e) { return e; }); }))
      .then(function (errors) {
        // A route this node does not offer (404) leaves its card empty; anything else is a failure.
        var failed = errors.filter(function (e) { return e && e.status !== 404; });
        if (failed.length === 0) {
          setStatus(true, 'online');
        } else {
          setStatus(false, failed[0].message);
        }
      });
  }

  function showResult(box, ok, nodes) {
    fill(box, nodes);
    box.className = 'result' + (ok ? '' : ' error');
  }

  // Publishing sends the chosen folder's files with their paths inside it (the browser's folder
  // picker); the node writes them to a staging folder and publishes that.
  $('publish-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('site-name').value.trim();
    var files = $('site-folder').files;
    if (!files.length) { return; }
    var form = new FormData();
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      var relative = file.webkitRelativePath || file.name;
      // Drop the chosen folder's own name: the site is what is inside it. The path goes in its
      // own part, as browsers may strip folders from a file part's name.
      var slash = relative.indexOf('/');
      form.append('path', slash >= 0 ? relative.slice(slash + 1) : relative);
      form.append('file', file, file.name);
    }
    var button = $('publish-button');
    button.disabled = true;
    showResult($('publish-result'), true, [document.createTextNode('Publishing ' + files.length + ' file(s)\u2026')]);
    call(API.publish + '?name=' + encodeURIComponent(name), { method: 'POST', form: form }).then(function (site) {
      var urls = site.urls || {};
      var lines = [el('p', { id: 'published-site', 'data-ipns': site.ipnsName, text: 'Published ' + site.name + ' (' + site.cid + ').' })];
      if (urls.gateway) { lines.push(el('p', {}, [document.createTextNode('Gateway: '), link(urls.gateway)])); }
      if (urls.subdomain) { lines.push(el('p', {}, [document.createTextNode('Subdomain: '), link(urls.subdomain)])); }
      lines.push(el('p', {}, [document.createTextNode('Any gateway: '), el('code', { text: urls.path })]));
      showResult($('publish-result'), true, lines);
      return refresh();
    }, function (error) {
      showResult($('publish-result'), false, [document.createTextNode('Not published: ' + error.message)]);
    }).then(function () { button.disabled = false; });
  });

  $('add-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var files = $('add-files').files;
    var button = $('add-button');
    button.disabled = true;
    var added = [];
    var chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      chain = chain.then(function () {
        var form = new FormData();
        form.append('file', file, file.name);
        return call(API.add, { method: 'POST', form: form }).then(function (r) {
          added.push(el('p', {}, [document.createTextNode('Added ' + file.name + ': '),
            el('code', { text: pick(r, ['cid', 'Hash', 'hash']) })]));
        });
      });
    });
    chain.then(function () {
      showResult($('add-result'), true, added);
      return refresh();
    }, function (error) {
      added.push(document.createTextNode('Not added: ' + error.message));
      showResult($('add-result'), false, added);
    }).then(function () { button.disabled = false; });
  });

  function removeSite(name) {
    if (!window.confirm('Remove the site ' + name + '? Its content is unpinned; its key is kept.')) { return; }
    call(API.removeSite + '?name=' + encodeURIComponent(name), { method: 'POST' }).then(refresh, function (error) {
      window.alert('Could not remove ' + name + ': ' + error.message);
    });
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
