/* The main menu is a <details>, rendered open. On a narrow screen (a phone) it starts closed:
   one "Menu" button instead of every entry above the page. Without JavaScript it stays open,
   and the header wraps. */
(function () {
  "use strict";
  var menu = document.querySelector("details.main-menu");
  if (!menu || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function follow() { menu.open = !narrow.matches; }
  follow();
  narrow.addEventListener("change", follow);
}());
