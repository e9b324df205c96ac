from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes over HTTP.

    Axes insists on the request; a call without one (the test client's login, a
    shell script) is not an HTTP login and has nothing to throttle, so it is
    passed on to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
