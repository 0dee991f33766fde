"""Pages of ``openlicense``, mounted under ``open-licence/`` by portal.urls."""

from django.urls import path

from . import views

app_name = "openlicense"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("declare/", views.declaration_create, name="declare"),
    path("<int:pk>/", views.declaration_detail, name="detail"),
    path("<int:pk>/submit/", views.declaration_submit, name="submit"),
    path("<int:pk>/announce/", views.declaration_announce, name="announce"),
    path("<int:pk>/withdraw/", views.declaration_withdraw, name="withdraw"),
    path("<int:pk>/push/", views.declaration_push, name="push"),
    path("<int:pk>/take/", views.licence_take, name="take"),
    path("consents/<int:pk>/", views.consent_record, name="consent"),
    path("licences/<int:pk>/", views.licence_detail, name="licence"),
    path("licences/<int:pk>/payment/", views.licence_payment, name="licence_payment"),
    path(
        "licences/<int:pk>/confirm-payment/",
        views.licence_confirm_payment,
        name="licence_confirm_payment",
    ),
    path("licences/<int:pk>/filing/", views.licence_filing, name="licence_filing"),
    path("licences/<int:pk>/notice.pdf", views.licence_notice_pdf, name="licence_notice"),
    path("licences/<int:pk>/filing.zip", views.licence_filing_package, name="licence_package"),
    path("fee-ranges/", views.fee_ranges, name="fee_ranges"),
    path("sync/", views.sync_page, name="sync"),
    path("sync/export/", views.sync_export, name="sync_export"),
]
