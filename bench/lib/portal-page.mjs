// A large synthetic Azure portal page: the shell, a resource list blade with a grid, a
// notification toast and a notifications pane item, none with an error (or, with
// `notifications: false`, no element the bridge's portal selectors pick). About `elements`
// element nodes. `window.__burst(n)` makes n DOM mutations in one task (cell text replaced,
// text node data changed, rows added, rows removed, in turn), none with an error in it.
export function portalPage(elements = 10_000, { notifications = true } = {}) {
  const shell = [];
  shell.push('<div class="fxs-topbar"><span>Microsoft Azure</span><input class="fxs-search" placeholder="Search resources"></div>');
  const nav = [];
  for (let i = 0; i < 40; i++) nav.push(`<li class="fxs-sidebar-item"><a href="#item${i}">Service ${i}</a></li>`);
  shell.push(`<nav class="fxs-sidebar"><ul>${nav.join('')}</ul></nav>`);
  if (notifications) {
    shell.push('<div class="fxs-toast-container"><div class="fxs-toast" id="toast"><div>Deployment succeeded</div><div>Deployment \'Microsoft.DataFactory\' to resource group \'rg-data\' was successful.</div></div></div>');
    shell.push('<div class="fxs-notificationspane"><div class="fxs-notificationspane-notification"><div>Resource group created</div><div>rg-analytics was created in West Europe.</div></div></div>');
  } else {
    // The same number of elements, with nothing the bridge's selectors pick.
    shell.push('<div class="fxs-banner"><div>Welcome</div><div>Tip of the day</div></div>');
    shell.push('<div class="fxs-footer"><div>Privacy</div><div>Terms</div><div>Feedback</div></div>');
  }
  // Elements so far: topbar 3, nav 1 + 1 + 80, toast 5, pane 4, blade wrapper 3 below.
  const used = 3 + 82 + 5 + 4 + 3;
  const rows = Math.floor((elements - used) / 6);
  const grid = [];
  for (let r = 0; r < rows; r++) {
    grid.push(`<div class="fxc-gc-row" role="row"><div class="fxc-gc-cell">contoso-adf-${r}</div><div class="fxc-gc-cell">Data factory (V2)</div><div class="fxc-gc-cell">rg-data-${r % 17}</div><div class="fxc-gc-cell">West Europe</div><div class="fxc-gc-cell">Succeeded</div></div>`);
  }
  shell.push(`<main class="fxs-blade"><h2>Data factories</h2><div class="fxc-gc" id="grid" role="grid">${grid.join('')}</div></main>`);
  const script = `
window.__burst = function (n) {
  const grid = document.getElementById('grid');
  const cells = Array.from(grid.getElementsByClassName('fxc-gc-cell'));
  const added = [];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: cells[(i * 7) % cells.length].textContent = 'Updating ' + i; break;
      case 1: { const c = cells[(i * 13) % cells.length]; if (c.firstChild) c.firstChild.data = 'Running ' + i; else c.textContent = 'Running ' + i; break; }
      case 2: {
        const row = document.createElement('div');
        row.className = 'fxc-gc-row';
        row.setAttribute('role', 'row');
        for (const text of ['new-adf-' + i, 'Data factory (V2)', 'rg-new', 'North Europe', 'Creating']) {
          const cell = document.createElement('div');
          cell.className = 'fxc-gc-cell';
          cell.textContent = text;
          row.append(cell);
        }
        grid.append(row);
        added.push(row);
        break;
      }
      default: (added.shift() ?? grid.lastElementChild).remove();
    }
  }
  return grid.children.length;
};`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Data factories - Microsoft Azure</title></head><body>${shell.join('')}<script>${script}</script></body></html>`;
}
