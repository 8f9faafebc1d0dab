// Shows the print buttons (hidden without JavaScript, where they could not work) and wires them.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
