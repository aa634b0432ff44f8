// The print button is hidden until this script runs, so it never shows where it cannot work.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
