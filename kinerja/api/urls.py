from django.urls import path

from kinerja.api import views
from kinerja.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("akun/token/", views.tokens_page, name="api_tokens"),
    path("akun/token/<int:token_id>/cabut/", views.token_revoke_view, name="api_token_revoke"),
]
