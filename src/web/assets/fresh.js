// A page brought back by Back or Forward from the browser's back/forward cache shows what was
// true when it was left: a day "to do" that has since been saved. Fetch it again instead. A
// page that answered a form is fetched by its address (GET), never sent again.
addEventListener("pageshow", function (event) {
  if (event.persisted) location.replace(location.href);
});
