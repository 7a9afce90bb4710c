// genguard console: the only script the pages load (CSP: script-src 'self', nothing inline).
// Reveal toggles for blurred previews and single-key shortcuts named by data-shortcut.
"use strict";

function toggleReveal(button) {
  const img = document.getElementById(button.getAttribute("aria-controls"));
  if (!img) return;
  const revealed = button.getAttribute("aria-pressed") === "true";
  img.src = revealed ? img.dataset.blurred : img.dataset.clear;
  button.setAttribute("aria-pressed", String(!revealed));
  button.textContent = revealed ? "Reveal (v)" : "Blur again (v)";
}

function typing(target) {
  if (!target) return false;
  if (target.tagName === "INPUT") return !["radio", "checkbox", "button", "submit"].includes(target.type);
  return target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.reveal").forEach((button) => {
    button.addEventListener("click", () => toggleReveal(button));
    if (button.dataset.start === "revealed") toggleReveal(button);
  });
  document.querySelectorAll("[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const target = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
  if (!target) return;
  event.preventDefault();
  if (target.tagName === "INPUT" && target.type === "radio") {
    target.checked = true;
    target.focus();
  } else if (["TEXTAREA", "SELECT"].includes(target.tagName) || target.type === "text") {
    target.focus();
  } else {
    target.click();
  }
});
