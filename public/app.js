// Progressive enhancement only: every screen works without this file.
'use strict';
document.addEventListener('change', (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.togglePassword) return;
  const input = document.getElementById(box.dataset.togglePassword);
  if (input instanceof HTMLInputElement) input.type = box.checked ? 'text' : 'password';
});
// The resend button waits out the server's cooldown, counting down so the customer knows why.
for (const button of document.querySelectorAll('[data-enable-after]')) {
  let left = Number(button.getAttribute('data-enable-after')) || 0;
  if (left <= 0) continue;
  button.disabled = true;
  const label = button.parentElement && button.parentElement.querySelector('[data-countdown]');
  const template = label ? label.textContent : '';
  const timer = setInterval(() => {
    left -= 1;
    if (label) label.textContent = template.replace(/\d+/, String(Math.max(left, 0)));
    if (left <= 0) {
      clearInterval(timer);
      button.disabled = false;
      if (label) label.remove();
    }
  }, 1000);
}
// The error summary takes focus, so keyboard and screen-reader users start at what went wrong.
const errorSummary = document.querySelector('[data-error-summary]');
if (errorSummary instanceof HTMLElement) errorSummary.focus();
