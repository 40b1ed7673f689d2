from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForStaffMiddleware:
    """Staff pages show patients' details: no browser or proxy may keep a copy of them.

    A practice's computers are shared, so a page left in the cache could be read by the next
    person at the desk. Patients' own pages set the same headers in their views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already_no_store = "no-store" in response.get("Cache-Control", "")
        if user is not None and user.is_authenticated and not already_no_store:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
