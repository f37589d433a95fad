from rest_framework.throttling import AnonRateThrottle


class PublicThrottle(AnonRateThrottle):
    """Rate limit for the public catalogue and lists, by client address."""

    scope = "public"


class ProgressLookupThrottle(AnonRateThrottle):
    """Stricter limit on progress look-ups (number + phone digits), against guessing."""

    scope = "progress_lookup"

    def allow_request(self, request, view):
        # Applies to everyone, logged in or not: the look-up is a public door.
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
