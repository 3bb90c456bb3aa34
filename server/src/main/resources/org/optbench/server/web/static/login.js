/*
 * The login form: a login URL carries its token, so the form is sent at once (a POST with the
 * form's CSRF token); without one the user types it.
 */
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("login");
  if (form && form.elements.token.value) form.submit();
});
