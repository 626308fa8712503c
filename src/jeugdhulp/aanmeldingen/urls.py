app_name = "aanmeldingen"
urlpatterns: list = []
