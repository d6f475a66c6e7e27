package dev.gatehouse.gateway.console;

import dev.gatehouse.gateway.web.WebBeans;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The console's part of the HTTP server: its pages under {@code /console} and their headers. */
@Configuration(proxyBeanMethods = false)
@Import({
  SignInPages.class,
  ApprovalPages.class,
  AuditPages.class,
  ReviewPages.class,
  WhyPages.class,
  StaticFiles.class
})
public class ConsoleApp {

  @Bean
  ConsoleAccess consoleAccess(WebBeans beans) {
    return new ConsoleAccess(beans);
  }

  @Bean
  FilterRegistrationBean<ConsoleHeaders> consoleHeaders() {
    FilterRegistrationBean<ConsoleHeaders> r = new FilterRegistrationBean<>(new ConsoleHeaders());
    r.addUrlPatterns("/console", "/console/*");
    return r;
  }
}
