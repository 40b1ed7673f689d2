def client_address(request) -> str:
    """The address of whoever made the request, as the load balancer in front of us saw it."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
