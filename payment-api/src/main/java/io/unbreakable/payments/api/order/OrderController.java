package io.unbreakable.payments.api.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.time.Seoul;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/orders")
@Tag(name = "Orders", description = "Merchant: Authorization: Basic base64(secretKey + \":\")")
class OrderController {

    /** Bounds that keep every total far inside a long: 1,000 items x 10,000 x 1,000,000,000 won. */
    static final long MAX_UNIT_PRICE = 1_000_000_000L;

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "409", description = "DUPLICATED_ORDER_ID: the merchant already has an order with this orderId")
    @Operation(operationId = "createOrder", summary = "Create an order with its items; totalAmount is computed from them")
    OrderResponse create(AuthenticatedMerchant merchant, @Valid @RequestBody CreateOrderRequest request) {
        List<OrderService.NewOrder.Item> items = request.items().stream()
                .map(item -> new OrderService.NewOrder.Item(item.sku(), item.name(), item.unitPrice(), item.quantity()))
                .toList();
        return OrderResponse.of(orders.create(merchant.merchantId(),
                new OrderService.NewOrder(request.orderId(), request.orderName(), request.customerKey(), items)));
    }

    @GetMapping("/{orderId}")
    @Operation(operationId = "getOrder", summary = "An order with its items and what of each was cancelled")
    OrderResponse get(AuthenticatedMerchant merchant, @PathVariable String orderId) {
        return OrderResponse.of(orders.get(merchant.merchantId(), orderId));
    }

    record CreateOrderRequest(
            // sub_ is where subscription charges' orders live (sub_<subscription>_<cycle>)
            @NotNull @Pattern(regexp = "(?!sub_)[A-Za-z0-9_-]{6,64}",
                    message = "must be 6-64 characters of A-Z a-z 0-9 _ - and not start with sub_ (subscription charges)") String orderId,
            @NotBlank @Size(max = 100) String orderName,
            @Size(min = 1, max = 300) String customerKey,
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull ItemRequest> items) {
    }

    record ItemRequest(
            @NotBlank @Size(max = 64) String sku,
            @NotBlank @Size(max = 100) String name,
            @NotNull @Min(0) @Max(MAX_UNIT_PRICE) Long unitPrice,
            @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }

    record OrderResponse(String orderId, String orderName, String customerKey, long totalAmount, OffsetDateTime createdAt,
            List<ItemResponse> items) {

        static OrderResponse of(Order order) {
            return new OrderResponse(order.orderId(), order.orderName(), order.customerKey(), order.totalAmount(),
                    Seoul.time(order.createdAt()), order.items().stream().map(ItemResponse::of).toList());
        }
    }

    record ItemResponse(long itemId, String sku, String name, long unitPrice, int quantity, long amount, int canceledQuantity) {

        static ItemResponse of(Order.Item item) {
            return new ItemResponse(item.itemId(), item.sku(), item.name(), item.unitPrice(), item.quantity(),
                    item.amount(), item.canceledQuantity());
        }
    }
}
