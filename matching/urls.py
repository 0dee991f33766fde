"""Pages of ``matching``, mounted under its prefix by portal.urls."""

from django.urls import path

from .views import public, receipts, staff, tracking

app_name = "matching"
urlpatterns = [
    path("register/", public.register, name="register"),
    path("needs/", public.need_directory, name="directory"),
    path("needs/<int:pk>/", public.need_public_detail, name="need_public_detail"),
    path("needs/new/", public.need_create, name="need_create"),
    path("my-needs/", public.need_mine, name="need_mine"),
    path("my-needs/<int:pk>/", public.need_mine_detail, name="need_mine_detail"),
    path("staff/", staff.review_queue, name="review_queue"),
    path("staff/needs/<int:pk>/", staff.need_staff_detail, name="need_staff_detail"),
    path("staff/import/", staff.need_import, name="need_import"),
    path("staff/batch/", staff.match_batch, name="match_batch"),
    path("staff/weights/<str:line>/", staff.weights_edit, name="weights_edit"),
    path("staff/funnel/", staff.funnel, name="funnel"),
    path("staff/push-items/<int:pk>/outcome/", staff.push_item_outcome, name="push_item_outcome"),
    path("t/o/<str:token>.gif", tracking.track_open, name="track_open"),
    path("t/c/<str:token>/<int:item_id>/", tracking.track_click, name="track_click"),
    path("p/<str:token>/", tracking.push_feedback, name="push_feedback"),
    path("p/<str:token>/preferences/", tracking.unsubscribe, name="unsubscribe"),
    # Delivery reports from the providers (matching.views.receipts).
    path(
        "receipts/tencent-sms/<str:token>/",
        receipts.tencent_sms_report,
        name="receipt_tencent_sms",
    ),
    path("receipts/aliyun-sms/<str:token>/", receipts.aliyun_sms_report, name="receipt_aliyun_sms"),
    path("receipts/wechat/", receipts.wechat_callback, name="receipt_wechat"),
]
