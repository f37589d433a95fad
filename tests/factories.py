"""factory_boy factories for core; each register adds its own below or in its module."""

import factory

from core.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"staff{n}")
    last_name = "王"
    first_name = factory.Sequence(lambda n: f"员工{n}")
    password = factory.django.Password("pass-1234-word")


def huge_png(width: int = 9500, height: int = 9500) -> bytes:
    """A PNG of ``width`` × ``height`` pixels (90 megapixels by default) that
    weighs a few kilobytes: one bit a pixel, all black, compressed."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()
