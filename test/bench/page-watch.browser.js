/**
 * Runs inside the page, added as an init script (plain JavaScript read as text, so no build step
 * rewrites it): on every animation frame, until found, looks for the moment a screen becomes usable
 * and notes performance.now() then. Checking in a frame callback means
 * the time is that of the frame that shows it, without a round trip to the test driver.
 *
 * Targets: `service` (在线办理 visible and enabled, on /), `form` (下一步 visible and enabled, on
 * /apply/form), `receipt` (the receipt page saying 提交成功; armed by the driver before pressing 下一步).
 * `clickedNext` is the timestamp of the press on 下一步. Each time is also written to the console
 * (`__bench usable <target> <ms>`), which the driver waits for without running script in the page.
 */
(() => {
  const w = window;
  const times = {};
  const armed = new Set();

  function* everything(root) {
    for (const el of root.querySelectorAll('*')) {
      yield el;
      if (el.shadowRoot) yield* everything(el.shadowRoot);
    }
  }
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const usableButton = (text) => {
    for (const el of everything(document)) {
      if (el instanceof HTMLButtonElement && el.textContent?.trim() === text && !el.disabled && shown(el)) return true;
    }
    return false;
  };
  const checks = {
    service: () => usableButton('在线办理'),
    form: () => usableButton('下一步'),
    receipt: () => {
      for (const el of everything(document)) {
        if (el.tagName === 'RECEIPT-PAGE' && el.shadowRoot?.textContent?.includes('提交成功') && shown(el)) return true;
      }
      return false;
    },
  };
  let looping = false;
  const frame = () => {
    const now = performance.now();
    for (const name of [...armed]) {
      if (checks[name]?.()) {
        times[name] = now;
        console.debug(`__bench usable ${name} ${now}`);
        armed.delete(name);
      }
    }
    if (armed.size > 0) requestAnimationFrame(frame);
    else looping = false;
  };
  const arm = (name) => {
    armed.add(name);
    if (!looping) {
      looping = true;
      requestAnimationFrame(frame);
    }
  };
  w.__bench = { times, armed, arm, keys: [] };
  if (location.pathname === '/') arm('service');
  if (location.pathname === '/apply/form') arm('form');

  document.addEventListener(
    'click',
    (event) => {
      const button = event.composedPath().find((el) => el instanceof HTMLButtonElement);
      if (button?.textContent?.trim() === '下一步') times.clickedNext = event.timeStamp;
    },
    true,
  );

  // Input to paint: from the key press to the first task after the next frame (the frame is painted then).
  let keyAt = 0;
  document.addEventListener('keydown', (event) => {
    keyAt = event.timeStamp;
  }, true);
  document.addEventListener(
    'input',
    () => {
      const from = keyAt;
      if (!from) return;
      keyAt = 0;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => w.__bench.keys.push(performance.now() - from);
        channel.port2.postMessage(0);
      });
    },
    true,
  );
})();
