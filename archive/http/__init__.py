"""What sits between the web and the views: middleware (``middleware``), the sign-in count it keeps
(``login_throttle``) and view decorators (``decorators``)."""
