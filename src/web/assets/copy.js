// Copy buttons: a button with data-copy="ID" copies the value of the field with that id and says
// so in the element named by data-status. The buttons stay hidden without this script, or where
// the clipboard cannot be written; the field can still be selected and copied by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!source || !status) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { status.textContent = "Copied."; },
        function () { source.select(); status.textContent = "Could not copy: the link is selected, copy it by hand."; }
      );
    });
  });
})();
