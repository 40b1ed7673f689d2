from django.urls import register_converter


class TokenConverter:
    """A texted link's token: url-safe characters, long enough that no page name can be one."""

    regex = r"[A-Za-z0-9_-]{20,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
